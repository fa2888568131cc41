// @ts-check
/**
 * The shops mode of the demo (PAYBRIDGE_DEMO_SHOPS=1, sandbox only): one process, three
 * merchants, each paying through its own gateway with its own (sandbox) credentials — `rice`
 * through fubei as a service provider's merchant (the provider's one key, its own
 * `merchant_id`). An order's shop is looked up on the server from its number (`tea_…`,
 * `noodle_…`, `rice_…`), as a shop's own database would say it; the browser never names the
 * merchant. Open /?shop=tea, /?shop=noodle or /?shop=rice.
 */

/** Shop id → the sandbox gateway it pays through. */
export const SHOPS = Object.freeze({ tea: "upaas", noodle: "xiangma", rice: "fubei" });

/** Shops that pay through a service provider (fubei's 服务商 mode): shop id → its fubei merchant_id. */
export const PROVIDER_SHOPS = Object.freeze({ rice: 1_000_003 });

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
