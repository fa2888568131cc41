/**
 * The merchants of the merchants section: `m0` … `m<count-1>`, and which one an order belongs to
 * (its number's last `-<i>` part, modulo the count), so the server's resolveOrder and the load's
 * notify paths agree without sharing state.
 */
export const MERCHANT_ID = /^m(\d{1,6})$/;

export function merchantOf(orderNo, count) {
  return `m${Number(orderNo.slice(orderNo.lastIndexOf("-") + 1)) % count}`;
}
