/**
 * The openpay v3 protocol as data: xiangma's own environments, and the white-label platforms
 * that speak it under another host and path prefix (EVIDENCE.md, "xiangma and the openpay v3
 * family"). A profile is a base URL, the path of each endpoint, and the gateway id it takes by
 * default — never a new adapter. `xiangma({ preset: "shoubei", ... })` is 收呗.
 *
 * What a platform's pages do not show is *assumed* from xiangma's own layout, marked so here and
 * in docs/gateways.md; each is a `paths` override away.
 */
export type XiangmaPath = "create" | "query" | "refund" | "refundQuery" | "close";

export interface XiangmaProfile {
  /** The gateway id (notify path segment) a gateway of this profile takes unless `id` is set. */
  readonly id: string;
  readonly baseUrl: string;
  readonly paths: Readonly<Record<XiangmaPath, string>>;
}

/** Every endpoint of one prefix: what the white-label platforms use (one prefix each). */
function underPrefix(prefix: string, create: string): Readonly<Record<XiangmaPath, string>> {
  return Object.freeze({
    create: `${prefix}/${create}`,
    query: `${prefix}/queryorder`,
    refund: `${prefix}/refundorder`,
    refundQuery: `${prefix}/queryrefund`,
    close: `${prefix}/closeorder`,
  });
}

export const XIANGMA_PRESETS = Object.freeze({
  /** Production: `https://cpay.xiangma365.com`; query path seen there, h5pay's inferred from prepay's. */
  production: Object.freeze({
    id: "xiangma",
    baseUrl: "https://cpay.xiangma365.com",
    // refund and refundQuery seen there; close's `/xypay` prefix *assumed* (seen: `/v3/closeorder`).
    paths: Object.freeze({ create: "/openpay/v3/h5pay", query: "/xypay/v3/queryorder", refund: "/xypay/v3/refundorder", refundQuery: "/openpay/v3/queryrefund", close: "/xypay/v3/closeorder" }),
  }),
  /** The test host of document 002 (plain http); its paths carry `/api`. */
  test: Object.freeze({
    id: "xiangma",
    baseUrl: "http://xipay.xiangma365.com",
    paths: Object.freeze({ create: "/api/openpay/v3/h5pay", query: "/api/xypay/v3/queryorder", refund: "/api/xypay/v3/refundorder", refundQuery: "/api/openpay/v3/queryrefund", close: "/api/xypay/v3/closeorder" }),
  }),
  /**
   * 收呗 (showdoc `shoubei`): `https://open.51shoubei.com/openpay/v3/` + refundorder, queryrefund,
   * closeorder (seen). No test host shown. *Assumed*: `h5pay` and `queryorder` (its pages show
   * jspay and qrpay), from xiangma's names under the same prefix.
   */
  shoubei: Object.freeze({ id: "shoubei", baseUrl: "https://open.51shoubei.com", paths: underPrefix("/openpay/v3", "h5pay") }),
  /**
   * 乐收赢 (showdoc `leshouying`): `https://open.gdyfsk.com/yfpay/v3/` + h5pay, queryorder,
   * refundorder, closeorder (seen). *Assumed*: `queryrefund` (not shown), xiangma's name.
   */
  leshouying: Object.freeze({ id: "leshouying", baseUrl: "https://open.gdyfsk.com", paths: underPrefix("/yfpay/v3", "h5pay") }),
  /** 乐收赢's test host `https://test.gdyfsk.com/yfpay/v3/` (seen), same paths. */
  "leshouying-test": Object.freeze({ id: "leshouying", baseUrl: "https://test.gdyfsk.com", paths: underPrefix("/yfpay/v3", "h5pay") }),
  /**
   * 乐收赢 总分店 (page 11558431882569584): create at `/yfpay/v4/chain/h5pay`, `mch_no` the head
   * shop's 总店商户号 and `shop_no` the branch's 分店商户号 (the `shopNo` setting). Its other calls
   * *assumed* under /yfpay/v3 as the plain 乐收赢 profile's.
   */
  "leshouying-chain": Object.freeze({ id: "leshouying", baseUrl: "https://open.gdyfsk.com", paths: Object.freeze({ ...underPrefix("/yfpay/v3", "h5pay"), create: "/yfpay/v4/chain/h5pay" }) }),
} satisfies Record<string, XiangmaProfile>);
