// @ts-check
/**
 * The two-shop mode of the demo (PAYBRIDGE_DEMO_SHOPS=1, sandbox only): one process, two
 * merchants, each paying through its own gateway with its own (sandbox) credentials. An order's
 * shop is looked up on the server from its number (`tea_…`, `noodle_…`), as a shop's own
 * database would say it; the browser never names the merchant. Open /?shop=tea or /?shop=noodle.
 */

/** Shop id → the sandbox gateway it pays through. */
export const SHOPS = Object.freeze({ tea: "upaas", noodle: "xiangma" });

/** The shop an order number belongs to, or undefined. @param {string} orderNo */
export function shopOf(orderNo) {
  const shop = orderNo.split("_", 1)[0] ?? "";
  return Object.hasOwn(SHOPS, shop) ? shop : undefined;
}

/** The gateway of the shop an order belongs to. @param {string} orderNo */
export function shopGateway(orderNo) {
  const shop = shopOf(orderNo);
  return shop === undefined ? undefined : SHOPS[/** @type {keyof typeof SHOPS} */ (shop)];
}
