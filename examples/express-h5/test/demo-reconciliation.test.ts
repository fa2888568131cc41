/**
 * The demo's reconciliation page (sandbox only): the day's bill of the demo's gateway against
 * its orders, as @paybridge/cli's HTML report; the sandbox's switches put mismatches into the
 * bill. xiangma's bill is the console's file (no bill API: the CSV read with the preset); vbao's
 * comes through its bill API (billDownload), as a shop's would.
 */
import { describe, expect, it } from "vitest";
import { startDemo } from "../demo.mjs";
import { demosClosedAfterEach, postJson, type RunningDemo } from "./support.js";
import { shanghaiToday } from "../reconciliation.mjs";

const running = demosClosedAfterEach();
/** A demo on `gateway` with two paid orders (250 and 1000 fen), the first refunded. */
async function demoWithOrders(gateway: "xiangma" | "vbao"): Promise<RunningDemo> {
  const demo = await startDemo({ port: 0, gateway, env: {}, printLine: () => {}, log: () => {} });
  running.push(demo);
  for (const orderNo of [`RECON${gateway}-250`, `RECON${gateway}-1000`]) {
    const created = await postJson(`${demo.url}/pay/orders`, { orderNo, channel: "wechat", scene: "h5" });
    expect(created.status).toBe(201);
    const paid = await postJson(`${demo.url}/sandbox/control/complete`, { gateway, gatewayOrderNo: created.body.gatewayOrderNo, outcome: "paid" });
    expect(paid.status).toBe(200);
  }
  // The notify reaches the router a moment after the sandbox answers: wait until both are paid.
  await expect.poll(async () => (await postJson(`${demo.url}/demo/refund`, { orderNo: `RECON${gateway}-250` })).status, { timeout: 10_000 }).toBe(200);
  return demo;
}

const report = async (demo: RunningDemo, query = ""): Promise<{ status: number; html: string }> => {
  const response = await fetch(`${demo.url}/demo/reconciliation/report${query}`);
  return { status: response.status, html: await response.text() };
};

describe("demo reconciliation", () => {
  it("xiangma (the console's bill file): agrees, then names each injected mismatch; the page and the checkout link are served", async () => {
    const demo = await demoWithOrders("xiangma");
    const agreeing = await report(demo);
    expect(agreeing.status).toBe(200);
    expect(agreeing.html).toContain(`Reconciliation ${shanghaiToday()} xiangma`);
    expect(agreeing.html).toContain("The bill and paybridge agree.");

    const set = await postJson(`${demo.url}/sandbox/control/bill-mismatch`, { gateway: "xiangma", kinds: ["change-amount", "unknown-order", "drop-refund"] });
    expect(set.status).toBe(200);
    const differing = await report(demo, `?date=${shanghaiToday()}`);
    expect(differing.status).toBe(200);
    expect(differing.html).toContain("3 mismatches.");
    for (const kind of ["amount_differs", "unknown_order", "refund_missing_in_bill"]) expect(differing.html).toMatch(new RegExp(`<td>${kind}</td><td>[^<]*</td><td>1</td>`));
    expect(differing.html).toContain("RECONxiangma-250");

    expect((await fetch(`${demo.url}/reconciliation.html`)).status).toBe(200);
    expect(await (await fetch(`${demo.url}/`)).text()).toContain('href="/reconciliation.html"');
    expect((await report(demo, "?date=2026-13-40")).status).toBe(400);
  });

  it("vbao (its bill API): a payment dropped from the bill is missing_in_bill", async () => {
    const demo = await demoWithOrders("vbao");
    expect((await report(demo)).html).toContain("The bill and paybridge agree.");
    await postJson(`${demo.url}/sandbox/control/bill-mismatch`, { gateway: "vbao", kinds: ["drop-payment"] });
    const differing = await report(demo);
    expect(differing.html).toContain("1 mismatches.");
    expect(differing.html).toMatch(/<td>missing_in_bill<\/td><td>[^<]*<\/td><td>1<\/td>/);
  });

  it("has no reconciliation route with a real gateway", async () => {
    const env = { PAYBRIDGE_UPAAS_STORE_NUM: "1234567", PAYBRIDGE_UPAAS_KEY: "real-key", PAYBRIDGE_PUBLIC_URL: "https://demo.example.com/pay" };
    const demo = await startDemo({ port: 0, gateway: "upaas", env, printLine: () => {}, log: () => {} });
    running.push(demo);
    expect((await report(demo)).status).toBe(404);
  });
});
