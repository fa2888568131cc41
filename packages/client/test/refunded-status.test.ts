// @vitest-environment jsdom
/** A refunded order (wholly or partly) was paid: the client confirms it as paid, never closed. */
import { describe, expect, test } from "vitest";
import { createPayClient } from "@paybridge/client";
import type { PayGlobals } from "../src/globals.js";
import { createdOrder, ENDPOINT, fakeServer, fakeWeixinBridge, orderStatus, ok, UA, WECHAT_PARAMS } from "./fakes.js";

const inWechat = (): PayGlobals => ({ navigator: { userAgent: UA.wechat }, document, WeixinJSBridge: fakeWeixinBridge("get_brand_wcpay_request:ok") });

describe("refunded orders", () => {
  test.each(["partially_refunded", "refunded"] as const)("a status poll answering %s resolves paid", async (status) => {
    const server = fakeServer(ok(createdOrder({ type: "wechat", params: WECHAT_PARAMS }), 201), [orderStatus(status)]);
    const result = await createPayClient({ endpoint: ENDPOINT, fetch: server.fetch, globals: inWechat() }).pay({ orderNo: "A1" });
    expect(result).toEqual({ status: "paid", orderNo: "A1", channel: "wechat" });
  });

  test.each(["partially_refunded", "refunded"] as const)("a re-posted order the server reports %s resolves paid at once", async (status) => {
    const server = fakeServer(ok(createdOrder(undefined, { status }), 200));
    const result = await createPayClient({ endpoint: ENDPOINT, fetch: server.fetch, globals: inWechat() }).pay({ orderNo: "A1" });
    expect(result).toEqual({ status: "paid", orderNo: "A1", channel: "wechat" });
    expect(server.statusRequests()).toHaveLength(0);
  });
});
