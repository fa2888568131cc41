import { fenToYuanString } from "@paybridge/shared";
import type { OrderCreatedEvent, PayClient } from "../pay-client.js";
import type { AlipayBridge, AlipayTradePayResult, PayGlobals, WechatBridge, WechatBridgeResult } from "../globals.js";
import { askPayer, type SheetChoice } from "./sheet.js";

export interface SandboxBridgesOptions {
  /** Where the server's sandbox is mounted, e.g. "/sandbox". */
  sandboxUrl: string;
  /** The client whose `created` events say which gateway order is being paid. */
  client: Pick<PayClient, "on" | "off">;
  /** Default the global fetch. */
  fetch?: typeof fetch | undefined;
  /** The window to install into; default `window`. */
  window?: Window | undefined;
}

type WalletAnswer = "ok" | "cancel" | "fail";

/**
 * Installs fake WeixinJSBridge and AlipayJSBridge for a desktop browser and fires their Ready
 * events. A payment shows a sheet: Pay completes the gateway order at the sandbox (so its
 * signed notify reaches the server) before the bridge answers ok; Fail completes it as failed
 * and answers fail; Cancel answers cancel. Returns a function that uninstalls them.
 */
export function installSandboxBridges(options: SandboxBridgesOptions): () => void {
  const win = options.window ?? window;
  const globals = win as unknown as PayGlobals;
  const doFetch = options.fetch ?? win.fetch.bind(win);
  const base = options.sandboxUrl.replace(/\/+$/, "");
  let order: OrderCreatedEvent | undefined;
  const onCreated = (created: OrderCreatedEvent): void => {
    order = created;
  };
  options.client.on("created", onCreated);

  const complete = async (outcome: "paid" | "failed"): Promise<void> => {
    const response = await doFetch(`${base}/control/complete`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ gateway: order?.gateway, gatewayOrderNo: order?.gatewayOrderNo, outcome }),
    });
    if (!response.ok) throw new Error(`sandbox answered ${response.status}`);
  };

  const answer = async (): Promise<WalletAnswer> => {
    const title = order
      ? `Sandbox ${order.gateway}: order ${order.orderNo}, ¥${fenToYuanString(order.amountFen)}`
      : "Sandbox payment";
    const choice: SheetChoice = await askPayer(win.document, title);
    if (choice === "cancel") return "cancel";
    try {
      await complete(choice === "pay" ? "paid" : "failed");
      return choice === "pay" ? "ok" : "fail";
    } catch {
      return "fail";
    }
  };

  const wechat: WechatBridge = {
    invoke(name, _params, callback: (result: WechatBridgeResult) => void) {
      if (name !== "getBrandWCPayRequest") return callback({ err_msg: `${name}:fail the sandbox only pays` });
      void answer().then((result) => callback({ err_msg: `get_brand_wcpay_request:${result}` }));
    },
  };
  const alipayCodes: Record<WalletAnswer, string> = { ok: "9000", cancel: "6001", fail: "4000" };
  const alipay: AlipayBridge = {
    call(name, _params, callback: (result: AlipayTradePayResult) => void) {
      if (name !== "tradePay") return callback({ resultCode: "4000", memo: `${name}: the sandbox only pays` });
      void answer().then((result) => callback({ resultCode: alipayCodes[result] }));
    },
  };

  globals.WeixinJSBridge = wechat;
  globals.AlipayJSBridge = alipay;
  win.document.dispatchEvent(new Event("WeixinJSBridgeReady"));
  win.document.dispatchEvent(new Event("AlipayJSBridgeReady"));

  return () => {
    options.client.off("created", onCreated);
    if (globals.WeixinJSBridge === wechat) delete globals.WeixinJSBridge;
    if (globals.AlipayJSBridge === alipay) delete globals.AlipayJSBridge;
  };
}
