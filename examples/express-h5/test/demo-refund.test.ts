/**
 * The demo's Refund button: a demo-only, sandbox-only server route that calls router.refund for
 * a paid order (one refund number per order, so a double click is one refund), printing one
 * refunded line; a real-gateway demo has no such route.
 */
import { describe, expect, it } from "vitest";
import { startDemo } from "../demo.mjs";
import { demosClosedAfterEach, postJson } from "./support.js";

const running = demosClosedAfterEach();
describe("demo refund route", () => {
  it("refunds a paid xiangma order once, however often the button is pressed; the page has the button", async () => {
    const printed: string[] = [];
    const demo = await startDemo({ port: 0, gateway: "xiangma", env: {}, printLine: (line) => printed.push(line), log: () => {} });
    running.push(demo);
    expect(await (await fetch(`${demo.url}/`)).text()).toContain('id="refund"');
    const orderNo = "DEMOREFUND-250";
    const created = await postJson(`${demo.url}/pay/orders`, { orderNo, channel: "wechat", scene: "h5" });
    expect(created.status).toBe(201);
    // Not paid yet: refused.
    expect((await postJson(`${demo.url}/demo/refund`, { orderNo })).body).toMatchObject({ error: { code: "refund_not_allowed" } });
    await postJson(`${demo.url}/sandbox/control/complete`, { gateway: "xiangma", gatewayOrderNo: created.body.gatewayOrderNo, outcome: "paid" });
    const [first, second] = await Promise.all([postJson(`${demo.url}/demo/refund`, { orderNo }), postJson(`${demo.url}/demo/refund`, { orderNo })]);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    const refund = await postJson(`${demo.url}/demo/refund`, { orderNo });
    expect(refund.body).toMatchObject({ orderNo, refundNo: `${orderNo}-refund`, status: "succeeded", amountFen: 250, refundedFen: 250 });
    expect(printed.filter((line) => line.includes('"refunded"'))).toEqual([
      JSON.stringify({ event: "refunded", orderNo, refundNo: `${orderNo}-refund`, amountFen: 250, gateway: "xiangma" }),
    ]);
    const status = await fetch(`${demo.url}/pay/orders/${orderNo}?token=${String(created.body.statusToken)}`);
    expect(await status.json()).toMatchObject({ status: "refunded", refundedFen: 250 });
  });

  it("answers refund_unsupported for a gateway without a refund API", async () => {
    const demo = await startDemo({ port: 0, gateway: "upaas", env: {}, printLine: () => {}, log: () => {} });
    running.push(demo);
    const orderNo = "DEMOUPAAS-30";
    const created = await postJson(`${demo.url}/pay/orders`, { orderNo, channel: "wechat" });
    await postJson(`${demo.url}/sandbox/control/complete`, { gateway: "upaas", gatewayOrderNo: created.body.gatewayOrderNo, outcome: "paid" });
    const refund = await postJson(`${demo.url}/demo/refund`, { orderNo });
    expect(refund).toMatchObject({ status: 501, body: { error: { code: "refund_unsupported" } } });
  });

  it("has no refund route with a real gateway", async () => {
    const env = { PAYBRIDGE_UPAAS_STORE_NUM: "1234567", PAYBRIDGE_UPAAS_KEY: "real-key", PAYBRIDGE_PUBLIC_URL: "https://demo.example.com/pay" };
    const demo = await startDemo({ port: 0, gateway: "upaas", env, printLine: () => {}, log: () => {} });
    running.push(demo);
    expect((await fetch(`${demo.url}/demo/refund`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status).toBe(404);
  });
});
