// @vitest-environment jsdom
import { afterEach, describe, expect, test, vi } from "vitest";
import { createPayClient, type PayClient } from "@paybridge/client";
import { installSandboxBridges } from "@paybridge/client/sandbox";
import type { PayGlobals } from "../src/globals.js";
import { createdOrder, ENDPOINT, fakeServer, orderStatus, ok, WECHAT_PARAMS } from "./fakes.js";

const SANDBOX = "https://shop.test/sandbox";
const wechatOrder = createdOrder({ type: "wechat", params: WECHAT_PARAMS }, { gateway: "fubei", gatewayOrderNo: "FB-9", amountFen: 1234 });
const alipayOrder = createdOrder({ type: "alipay", tradeNO: "T-1" }, { channel: "alipay", gateway: "upaas", gatewayOrderNo: "UP-7" });

let uninstall: (() => void) | undefined;
afterEach(() => {
  uninstall?.();
  document.body.innerHTML = "";
});

/** The sandbox's control endpoint: records each completion, answers 200 (or `status`). */
function fakeSandbox(status = 200) {
  const completions: unknown[] = [];
  const fetch = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    expect(String(url)).toBe(`${SANDBOX}/control/complete`);
    completions.push(JSON.parse(String(init?.body)));
    return new Response("{}", { status });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, completions };
}

function setUp(order: object, sandboxStatus = 200, statuses = [orderStatus("paid")]) {
  const server = fakeServer(ok(order, 201), statuses);
  const client: PayClient = createPayClient({ endpoint: ENDPOINT, fetch: server.fetch, globals: window as unknown as PayGlobals });
  const sandbox = fakeSandbox(sandboxStatus);
  uninstall = installSandboxBridges({ sandboxUrl: SANDBOX, client, fetch: sandbox.fetch, window });
  return { client, server, sandbox };
}

async function click(id: "sandbox-pay" | "sandbox-cancel" | "sandbox-fail"): Promise<void> {
  const button = await vi.waitFor(() => {
    const found = document.getElementById(id);
    if (!found) throw new Error(`${id} not shown`);
    return found;
  });
  button.click();
}

describe("sandbox bridges", () => {
  test("install fires WeixinJSBridgeReady and AlipayJSBridgeReady", () => {
    const ready: string[] = [];
    document.addEventListener("WeixinJSBridgeReady", () => ready.push("wechat"));
    document.addEventListener("AlipayJSBridgeReady", () => ready.push("alipay"));
    setUp(wechatOrder);
    expect(ready).toEqual(["wechat", "alipay"]);
    const globals = window as unknown as PayGlobals;
    expect(globals.WeixinJSBridge).toBeDefined();
    expect(globals.AlipayJSBridge).toBeDefined();
  });

  test("Pay completes the gateway order at the sandbox, then the WeChat bridge answers ok and pay() confirms paid", async () => {
    const { client, sandbox, server } = setUp(wechatOrder);
    const paying = client.pay({ orderNo: "A1", channel: "wechat" });
    await vi.waitFor(() => expect(document.getElementById("sandbox-sheet")?.textContent).toContain("12.34"));
    expect(server.statusRequests()).toHaveLength(0);
    await click("sandbox-pay");
    await expect(paying).resolves.toEqual({ status: "paid", orderNo: "A1", channel: "wechat" });
    expect(sandbox.completions).toEqual([{ gateway: "fubei", gatewayOrderNo: "FB-9", outcome: "paid" }]);
    expect(document.getElementById("sandbox-sheet")).toBeNull();
  });

  test("Cancel answers cancel and completes nothing", async () => {
    const { client, sandbox } = setUp(wechatOrder, 200, [orderStatus("pending")]);
    const paying = client.pay({ orderNo: "A1", channel: "wechat" });
    await click("sandbox-cancel");
    await expect(paying).resolves.toMatchObject({ status: "cancelled" });
    expect(sandbox.completions).toEqual([]);
  });

  test("Fail completes the order as failed and the bridge answers fail", async () => {
    const { client, sandbox } = setUp(wechatOrder, 200, [orderStatus("failed")]);
    const paying = client.pay({ orderNo: "A1", channel: "wechat" });
    await click("sandbox-fail");
    await expect(paying).rejects.toMatchObject({ code: "bridge_failed", bridgeResult: { err_msg: "get_brand_wcpay_request:fail" } });
    expect(sandbox.completions).toEqual([{ gateway: "fubei", gatewayOrderNo: "FB-9", outcome: "failed" }]);
  });

  test("Alipay: Pay answers 9000 after completing; Cancel answers 6001", async () => {
    const { client, sandbox } = setUp(alipayOrder, 200, [orderStatus("paid"), orderStatus("pending")]);
    const paying = client.pay({ orderNo: "A1", channel: "alipay" });
    await click("sandbox-pay");
    await expect(paying).resolves.toEqual({ status: "paid", orderNo: "A1", channel: "alipay" });
    expect(sandbox.completions).toEqual([{ gateway: "upaas", gatewayOrderNo: "UP-7", outcome: "paid" }]);

    const cancelling = client.pay({ orderNo: "A1", channel: "alipay" });
    await click("sandbox-cancel");
    await expect(cancelling).resolves.toMatchObject({ status: "cancelled" });
  });

  test("when the sandbox refuses the completion, the bridge answers fail rather than ok", async () => {
    const { client } = setUp(wechatOrder, 400, [orderStatus("pending")]);
    const paying = client.pay({ orderNo: "A1", channel: "wechat" });
    await click("sandbox-pay");
    await expect(paying).rejects.toMatchObject({ code: "bridge_failed" });
  });

  test("uninstall removes the fake bridges", () => {
    setUp(wechatOrder);
    uninstall?.();
    uninstall = undefined;
    expect((window as unknown as PayGlobals).WeixinJSBridge).toBeUndefined();
    expect((window as unknown as PayGlobals).AlipayJSBridge).toBeUndefined();
  });
});
