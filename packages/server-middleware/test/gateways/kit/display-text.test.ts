/**
 * A merchant's description is display text: sent well-formed, and cut to a gateway's limit
 * without splitting a character (a lone surrogate cannot be signed as UTF-8 nor shown).
 */
import { describe, expect, it } from "vitest";
import { fubei } from "../../../src/gateways/fubei/adapter.js";
import { lianke } from "../../../src/gateways/lianke/adapter.js";
import type { CreateOrderInput, GatewayAdapter } from "../../../src/gateways/contract.js";
import { displayText } from "../../../src/gateways/kit/text.js";
import { NOTIFY_URL, fakeHttp, fixture } from "../helpers.js";

const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe("displayText", () => {
  it("cuts to the limit in UTF-16 code units, never between the halves of a pair", () => {
    expect(displayText("ab😀c", 3)).toBe("ab");
    expect(displayText("ab😀c", 4)).toBe("ab😀");
    expect(displayText("😀", 1)).toBeUndefined();
    expect(displayText("abc", 3)).toBe("abc");
    expect(displayText("两杯咖啡", 2)).toBe("两杯");
  });

  it("replaces each lone surrogate by U+FFFD and keeps pairs", () => {
    expect(displayText("user\ud83d")).toBe("user\ufffd");
    expect(displayText("\udc00x\ud83d\ude00\ud800")).toBe("\ufffdx😀\ufffd");
    expect(displayText("")).toBeUndefined();
    expect(displayText(undefined, 5)).toBeUndefined();
  });
});

/** What the adapter sent as the description, whatever the gateway then answered. */
async function sentDescription(adapter: GatewayAdapter, input: CreateOrderInput, respond: () => string, read: (sent: Record<string, unknown>) => unknown) {
  const fake = fakeHttp(respond);
  await adapter.createOrder(input, fake.http).catch(() => undefined);
  expect(fake.requests.length).toBeGreaterThan(0);
  return read(fake.sent());
}

describe("a description at the gateways", () => {
  it("fubei: longer than the document's 128 is cut there, not refused, and never mid-emoji", async () => {
    const adapter = fubei({ baseUrl: "https://fubei.test/gateway", appId: "20170601202131300809", appSecret: "s", storeId: 3239 });
    const input: CreateOrderInput = {
      orderNo: "F1",
      amountFen: 1,
      channel: "wechat",
      scene: "mini",
      openId: "oODbw0Aiss8lP5aPvFq9-_F4H9LA",
      notifyUrl: `${NOTIFY_URL}fubei`,
      description: `${"咖".repeat(127)}😀 and more`,
    };
    const body = await sentDescription(adapter, input, () => fixture("fubei-success.json"), (sent) => (JSON.parse(sent.biz_content as string) as Record<string, unknown>).body);
    expect(body).toBe("咖".repeat(127));
    const emojiLast = await sentDescription(adapter, { ...input, description: `${"咖".repeat(126)}😀😀` }, () => fixture("fubei-success.json"), (sent) => (JSON.parse(sent.biz_content as string) as Record<string, unknown>).body);
    expect(emojiLast).toBe(`${"咖".repeat(126)}😀`);
  });

  it("lianke: a description the merchant cut mid-emoji goes out well-formed", async () => {
    const cut = `two apples ${"😀".slice(0, 1)}`;
    const liankeItem = await sentDescription(
      lianke({ baseUrl: "https://lianke.test/api/", storeNo: "S001", key: "k", appId: "wx-config" }),
      { orderNo: "L1", amountFen: 5, channel: "alipay", scene: "jsapi", openId: "2088000000000001", notifyUrl: `${NOTIFY_URL}lianke`, description: cut },
      () => "{}",
      (sent) => sent.iteminfo,
    );
    expect(liankeItem).toBe("two apples \ufffd");
    expect(LONE.test(String(liankeItem))).toBe(false);
  });
});
