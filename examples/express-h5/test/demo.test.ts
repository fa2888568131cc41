/**
 * The demo server over HTTP, for every PAYBRIDGE_GATEWAY choice, entirely on the sandbox: an order
 * is created, paid at the sandbox (which sends its signed notify), and the demo prints exactly
 * one paid line. Also how it reads amounts and credentials.
 */
import { afterEach, describe, expect, it } from "vitest";
import { startDemo } from "../demo.mjs";
import { GATEWAY_IDS } from "../gateways.mjs";

type RunningDemo = Awaited<ReturnType<typeof startDemo>>;
const running: RunningDemo[] = [];

async function start(gateway: string, env: Record<string, string> = {}) {
  const printed: string[] = [];
  const demo = await startDemo({ port: 0, gateway, env, printLine: (line) => printed.push(line), log: () => {} });
  running.push(demo);
  return { demo, printed };
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((demo) => demo.close()));
});

async function postJson(url: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("demo server", () => {
  it("listens on 127.0.0.1 and serves the checkout page and the client bundles", async () => {
    const { demo } = await start("upaas");
    expect(demo.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await fetch(`${demo.url}/`);
    expect(await page.text()).toContain('<output id="result"');
    for (const bundle of ["paybridge.iife.js", "paybridge-sandbox.iife.js"]) {
      expect((await fetch(`${demo.url}/assets/${bundle}`)).status).toBe(200);
    }
  });

  it("charges the digits after the last '-' in fen, else 1 fen", async () => {
    const { demo } = await start("upaas");
    const amountOf = async (orderNo: string) =>
      ((await (await fetch(`${demo.url}/demo/config?orderNo=${encodeURIComponent(orderNo)}`)).json()) as { order: { amountFen: number } }).order.amountFen;
    expect(await amountOf("A-250")).toBe(250);
    expect(await amountOf("A-1-2-30")).toBe(30);
    expect(await amountOf("A250")).toBe(1);
    expect(await amountOf("A-0")).toBe(1);
    expect(await amountOf("A-12x")).toBe(1);
  });

  it.each(GATEWAY_IDS)("%s: every channel pays through the sandbox and prints one paid line each", async (gateway) => {
    const { demo, printed } = await start(gateway);
    const config = (await (await fetch(`${demo.url}/demo/config`)).json()) as { gateway: string; sandbox: boolean; channels: Record<string, string[]> };
    expect(config).toMatchObject({ gateway, sandbox: true });
    const channels = Object.keys(config.channels);
    expect(channels.length).toBeGreaterThan(0);

    for (const [index, channel] of channels.entries()) {
      const orderNo = `T${gateway}${channel}-${index + 11}`;
      const created = await postJson(`${demo.url}/pay/orders`, { orderNo, channel });
      expect(created).toMatchObject({ status: 201, body: { orderNo, status: "pending", amountFen: index + 11, gateway } });
      const completed = await postJson(`${demo.url}/sandbox/control/complete`, { gateway, gatewayOrderNo: created.body.gatewayOrderNo, outcome: "paid" });
      expect(completed.status).toBe(200);

      const line = JSON.stringify({ event: "paid", orderNo, amountFen: index + 11, gateway });
      await expect.poll(() => printed.filter((printedLine) => printedLine.includes(orderNo))).toEqual([line]);
      const status = await fetch(`${demo.url}/pay/orders/${orderNo}?token=${String(created.body.statusToken)}`);
      expect(await status.json()).toMatchObject({ orderNo, status: "paid" });
    }
    expect(printed).toHaveLength(channels.length);
  });

  it("refuses to start with some but not all of a gateway's credentials, naming the missing ones", async () => {
    await expect(startDemo({ port: 0, gateway: "xiangma", env: { PAYBRIDGE_XIANGMA_KEY: "k" }, log: () => {} })).rejects.toThrow(
      "PAYBRIDGE_XIANGMA_INST_NO, PAYBRIDGE_XIANGMA_MCH_NO",
    );
  });

  it("uses the real gateway when its credentials are set, and then needs a public URL for notifies", async () => {
    const env = { PAYBRIDGE_UPAAS_STORE_NUM: "1234567", PAYBRIDGE_UPAAS_KEY: "real-key" };
    await expect(startDemo({ port: 0, gateway: "upaas", env, log: () => {} })).rejects.toThrow("PAYBRIDGE_PUBLIC_URL");
    const { demo } = await start("upaas", { ...env, PAYBRIDGE_PUBLIC_URL: "https://demo.example.com/pay" });
    expect(demo.sandbox).toBe(false);
    expect(await (await fetch(`${demo.url}/demo/config`)).json()).toMatchObject({ gateway: "upaas", sandbox: false });
  });

  it("rejects an unknown gateway", async () => {
    await expect(startDemo({ port: 0, gateway: "paypal", env: {}, log: () => {} })).rejects.toThrow('unknown gateway "paypal"');
  });
});
