// @vitest-environment jsdom
/**
 * One PayClient class; what differs between a browser and a mini-program (globals, HTTP,
 * launchers) is the runtime each build's createPayClient passes to it.
 */
import { describe, expect, test, vi } from "vitest";
import { createPayClient, PayClient } from "@paybridge/client";
import type { PayGlobals } from "../src/globals.js";
import type { LaunchContext } from "../src/launchers/types.js";
import * as mini from "../src/mini-program-entry.js";
import type { PayClientRuntime } from "../src/runtimes/types.js";
import type { Transport } from "../src/transports/types.js";
import { createdOrder, ENDPOINT, fakeServer, orderStatus, ok, UA, WECHAT_PARAMS } from "./fakes.js";

const wechatOrder = createdOrder({ type: "wechat", params: WECHAT_PARAMS });

/** A transport answering as the server: the order, then paid. */
const serverTransport = (): Transport & { calls: string[] } => {
  const calls: string[] = [];
  const transport = async ({ method }: { method: string }) => {
    calls.push(method);
    return method === "POST" ? { status: 201, body: wechatOrder } : { status: 200, body: { orderNo: "A1", status: "paid", amountFen: 1 } };
  };
  return Object.assign(transport, { calls });
};

describe("one PayClient", () => {
  test("the module and mini-program entries export the same class, and both factories make instances of it", () => {
    expect(mini.PayClient).toBe(PayClient);
    const wx = { request: () => undefined };
    expect(createPayClient({ endpoint: ENDPOINT })).toBeInstanceOf(PayClient);
    expect(mini.createPayClient({ endpoint: ENDPOINT, globals: { wx } })).toBeInstanceOf(PayClient);
  });

  test("the browser runtime's HTTP is ky over the fetch given", async () => {
    const server = fakeServer(ok(wechatOrder, 201), [orderStatus("paid")]);
    const globals: PayGlobals = { navigator: { userAgent: UA.wechat }, document, WeixinJSBridge: { invoke: (_n, _p, done) => done({ err_msg: "get_brand_wcpay_request:ok" }) } };
    await expect(createPayClient({ endpoint: ENDPOINT, fetch: server.fetch, globals }).pay({ orderNo: "A1" })).resolves.toMatchObject({ status: "paid" });
    expect(server.requests.map((request) => request.method)).toEqual(["POST", "GET"]);
  });

  test("the mini-program runtime's HTTP is the page's wx.request", async () => {
    const requests: string[] = [];
    const wx = {
      request: (options: { method: string; success(result: { statusCode: number; data: unknown }): void }) => {
        requests.push(options.method);
        options.success(options.method === "POST" ? { statusCode: 201, data: wechatOrder } : { statusCode: 200, data: { orderNo: "A1", status: "paid", amountFen: 1 } });
      },
      requestPayment: (options: { success(result: unknown): void }) => options.success({ errMsg: "requestPayment:ok" }),
    };
    await expect(mini.createPayClient({ endpoint: ENDPOINT, globals: { wx } }).pay({ orderNo: "A1" })).resolves.toMatchObject({ status: "paid" });
    expect(requests).toEqual(["POST", "GET"]);
  });

  test("new PayClient(options) without a runtime has no HTTP of its own: it uses the transport given, or fails (cause bridge_unavailable)", async () => {
    await expect(new PayClient({ endpoint: ENDPOINT, globals: { document } }).pay({ orderNo: "A1", channel: "wechat" })).rejects.toMatchObject({
      code: "network_error",
      cause: { code: "bridge_unavailable" },
    });
    const transport = serverTransport();
    const globals: PayGlobals = { navigator: { userAgent: UA.wechat }, document, WeixinJSBridge: { invoke: (_n, _p, done) => done({ err_msg: "get_brand_wcpay_request:ok" }) } };
    await expect(new PayClient({ endpoint: ENDPOINT, transport, globals }).pay({ orderNo: "A1" })).resolves.toMatchObject({ status: "paid" });
    expect(transport.calls).toEqual(["POST", "GET"]);
  });

  test("a runtime given to new PayClient supplies the globals, the default transport and the launch", async () => {
    const transport = serverTransport();
    const given: PayGlobals = { navigator: { userAgent: UA.wechat }, document };
    const launched: LaunchContext[] = [];
    const runtime: PayClientRuntime = {
      globals: vi.fn((globals: PayGlobals | undefined) => ({ ...globals, __wxjs_environment: "browser" })),
      transport: vi.fn(() => transport),
      launch: vi.fn(async (context: LaunchContext) => {
        launched.push(context);
        return "confirm" as const;
      }),
    };
    const client = new PayClient({ endpoint: ENDPOINT, globals: given }, runtime);
    await expect(client.pay({ orderNo: "A1" })).resolves.toEqual({ status: "paid", orderNo: "A1", channel: "wechat" });
    expect(runtime.globals).toHaveBeenCalledWith(given);
    expect(runtime.transport).toHaveBeenCalledWith({ ...given, __wxjs_environment: "browser" });
    expect(runtime.launch).toHaveBeenCalledWith(expect.objectContaining({ action: wechatOrder.action }), { kind: "wechat", channel: "wechat", scene: "jsapi" });
    expect(launched[0]!.order).toEqual({ orderNo: "A1", statusToken: "token-A1", channel: "wechat" });
    expect(transport.calls).toEqual(["POST", "GET"]);
  });
});
