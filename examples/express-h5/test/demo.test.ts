/**
 * The demo server over HTTP, for every PAYBRIDGE_GATEWAY choice, entirely on the sandbox: an order
 * is created, paid at the sandbox (which sends its signed notify), and the demo prints exactly
 * one paid line. Also how it reads amounts and credentials.
 */
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { DRIVERS } from "../../../packages/sandbox/test/requests.js";
import type { RunningSandbox } from "../../../packages/sandbox/test/support.js";
import { startDemo } from "../demo.mjs";
import { demosClosedAfterEach, postJson } from "./support.js";
import { GATEWAY_IDS } from "../gateways.mjs";

const running = demosClosedAfterEach();

async function start(gateway: string, env: Record<string, string> = {}) {
  const printed: string[] = [];
  const demo = await startDemo({ port: 0, gateway, env, printLine: (line) => printed.push(line), log: () => {} });
  running.push(demo);
  return { demo, printed };
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

  it("notifies only its own router: an order whose notify URL is another local service sends it nothing", async () => {
    const { demo } = await start("upaas");
    const hits: string[] = [];
    const other = createServer((req, res) => {
      hits.push(req.url ?? "");
      res.end("INTERNAL-ADMIN-ANSWER");
    });
    other.listen(0, "127.0.0.1");
    await once(other, "listening");
    try {
      const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}/admin/pay/notify/upaas`;
      // Anyone can create an order at the demo's sandbox with its public key, naming any notify URL.
      const sandbox = {
        url: `${demo.url}/sandbox`,
        async post(path: string, body: unknown) {
          const response = await fetch(`${demo.url}/sandbox${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
          const text = await response.text();
          return { status: response.status, json: JSON.parse(text) as Record<string, unknown>, text };
        },
      } as unknown as RunningSandbox;
      const upaasDriver = DRIVERS.find((driver) => driver.gateway === "upaas")!;
      const gatewayOrderNo = await upaasDriver.create(sandbox, otherUrl);
      const response = await fetch(`${demo.url}/sandbox/control/complete`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ gateway: "upaas", gatewayOrderNo, outcome: "paid" }),
      });
      expect(response.status).toBe(403);
      expect(await response.text()).not.toContain("INTERNAL-ADMIN-ANSWER");
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(hits).toEqual([]);
    } finally {
      other.closeAllConnections();
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it("does not mount the sandbox beside a real gateway", async () => {
    const env = { PAYBRIDGE_UPAAS_STORE_NUM: "1234567", PAYBRIDGE_UPAAS_KEY: "real-key", PAYBRIDGE_PUBLIC_URL: "https://demo.example.com/pay" };
    const { demo } = await start("upaas", env);
    const complete = await fetch(`${demo.url}/sandbox/control/complete`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ gateway: "upaas", gatewayOrderNo: "x", outcome: "paid" }),
    });
    expect(complete.status).toBe(404);
    expect((await fetch(`${demo.url}/sandbox/upaas/v2/pay/jsapi`, { method: "POST", body: "{}" })).status).toBe(404);
  });

  it("answers errors as JSON, without X-Powered-By or a stack trace, and logs the error's name, not the request", async () => {
    const logged: string[] = [];
    const demo = await startDemo({ port: 0, gateway: "upaas", env: {}, printLine: () => {}, log: (line) => logged.push(line) });
    running.push(demo);
    const marker = "REQUEST-BODY-MARKER-5d1e";
    for (const path of ["/sandbox/control/complete", "/pay/orders"]) {
      const response = await fetch(`${demo.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: `{"x":"${marker}"` });
      const text = await response.text();
      expect(response.status, path).toBe(400);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(response.headers.get("x-powered-by")).toBeNull();
      for (const sign of ["<", " at ", "/work", "node_modules", marker]) expect(text).not.toContain(sign);
    }
    expect(logged.join("\n")).not.toContain(marker);
  });

  it("limits the orders one address creates: past 30 a minute, 429 with Retry-After", async () => {
    const { demo } = await start("upaas");
    for (let i = 0; i < 30; i++) expect((await postJson(`${demo.url}/pay/orders`, { orderNo: `RL${i}-1` })).status).toBe(201);
    const response = await fetch(`${demo.url}/pay/orders`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ orderNo: "RL30-1" }) });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
  });

  it("rejects an unknown gateway", async () => {
    await expect(startDemo({ port: 0, gateway: "paypal", env: {}, log: () => {} })).rejects.toThrow('unknown gateway "paypal"');
  });
});
