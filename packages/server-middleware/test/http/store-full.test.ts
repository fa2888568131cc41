/**
 * A full order store and a client filling it (issue 21, findings 4 and 5), on every host: the
 * browser gets 503 with Retry-After and a fixed message (the detail goes to the log); expired
 * pending orders are closed — at their gateway — and give way; a merchant can limit how many
 * orders one client creates (429 with Retry-After).
 */
import { afterEach, describe, expect, it } from "vitest";
import { MemoryOrderStore } from "../../src/store/memory.js";
import { startHarness, type Harness } from "../support/fake-adapter.js";
import { HOSTS } from "../support/hosts.js";
import { refundGateway } from "../support/refund-gateway.js";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The `x-client` header of Express's request or the fetch API's. */
function clientOf(req: unknown): string | undefined {
  const headers = (req as { headers: Headers | Record<string, string | string[] | undefined> }).headers;
  const value = headers instanceof Headers ? headers.get("x-client") : headers["x-client"];
  return typeof value === "string" ? value : undefined;
}

describe.each(HOSTS)("on %s", (host) => {
  it("a full store answers 503 with Retry-After and a fixed message; the detail is logged", async () => {
    harness = await startHarness({ host, store: new MemoryOrderStore({ maxOrders: 3 }) });
    for (const orderNo of ["A1", "A2", "A3"]) await harness.api.post("/pay/orders").send({ orderNo }).expect(201);
    const res = await harness.api.post("/pay/orders").send({ orderNo: "A4" });
    expect(res.status).toBe(503);
    expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
    expect(res.body.error.code).toBe("unavailable");
    expect(res.body.error.message).not.toMatch(/3|maxOrders|Redis/);
    const logged = harness.logs.find((log) => log.level === "error" && JSON.stringify(log.fields).includes("maxOrders"));
    expect(logged).toBeDefined();
  });

  it("expired pending orders are closed at their gateway and give way to new ones", async () => {
    const gateway = refundGateway();
    harness = await startHarness({ host, gateway, store: new MemoryOrderStore({ maxOrders: 3 }), expireAfterMs: 100 });
    for (const orderNo of ["B1", "B2", "B3"]) await harness.api.post("/pay/orders").send({ orderNo }).expect(201);
    await sleep(150);
    await harness.api.post("/pay/orders").send({ orderNo: "B4" }).expect(201);
    await harness.api.post("/pay/orders").send({ orderNo: "B5" }).expect(201);
    const closed = new Set(gateway.closeCalls.map((call) => call.orderNo));
    // Never silently dropped: every order gone from the store was closed at its gateway first.
    for (const orderNo of ["B1", "B2", "B3"]) {
      const record = await harness.router.store.get(orderNo);
      if (record === null) expect(closed.has(orderNo)).toBe(true);
      else expect(record.status).toBe("closed");
    }
    expect((await harness.router.store.get("B5"))?.status).toBe("pending");
  });

  it("createRateLimit: one client past its limit gets 429 with Retry-After; other clients are served", async () => {
    harness = await startHarness({ host, createRateLimit: { clientKey: clientOf, max: 3, windowMs: 60_000 } });
    for (let i = 0; i < 3; i++) await harness.api.post("/pay/orders").set("x-client", "greedy").send({ orderNo: `C${i}` }).expect(201);
    const limited = await harness.api.post("/pay/orders").set("x-client", "greedy").send({ orderNo: "C9" });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("rate_limited");
    const retryAfter = Number(limited.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await harness.router.store.get("C9")).toBeNull();
    await harness.api.post("/pay/orders").set("x-client", "someone-else").send({ orderNo: "D1" }).expect(201);
    // No key: not limited (the merchant decides who is a client).
    for (let i = 0; i < 4; i++) await harness.api.post("/pay/orders").send({ orderNo: `E${i}` }).expect(201);
  });
});
