import { afterEach, describe, expect, it, vi } from "vitest";
import { STATUS_TOKEN_HEADER } from "@paybridge/shared";
import { startHarness, type Harness } from "../support/fake-adapter.js";
import { HOSTS } from "../support/hosts.js";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

// The HTTP contract, on every host: Express 5, Express 4 and the web-standard handler.
describe.each(HOSTS)("on %s", (hostName) => {
async function start(overrides: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  harness = await startHarness({ host: hostName, ...overrides });
  return harness;
}
describe("GET /orders/:orderNo", () => {
  it("answers the status with the token from the create response", async () => {
    const { api } = await start();
    const created = await api.post("/pay/orders").send({ orderNo: "S1" }).expect(201);
    const res = await api.get("/pay/orders/S1").query({ token: created.body.statusToken }).expect(200);
    expect(res.body).toEqual({ orderNo: "S1", status: "pending", amountFen: 100, gatewayOrderNo: "FAKE-S1" });
  });

  it("accepts the token in the x-paybridge-token header, where the client sends it", async () => {
    const { api } = await start();
    const created = await api.post("/pay/orders").send({ orderNo: "S4" }).expect(201);
    const res = await api.get("/pay/orders/S4").set(STATUS_TOKEN_HEADER, created.body.statusToken).expect(200);
    expect(res.body).toMatchObject({ orderNo: "S4", status: "pending" });
    expect(res.headers["cache-control"]).toBe("no-store");
  });

  it("answers a wrong header token like an unknown order, even beside a right ?token=", async () => {
    const { api } = await start();
    const s5 = await api.post("/pay/orders").send({ orderNo: "S5" }).expect(201);
    const s6 = await api.post("/pay/orders").send({ orderNo: "S6" }).expect(201);
    const unknown = await api.get("/pay/orders/NOPE").set(STATUS_TOKEN_HEADER, s5.body.statusToken);
    const wrong = await api.get("/pay/orders/S5").set(STATUS_TOKEN_HEADER, s6.body.statusToken).query({ token: s5.body.statusToken });
    expect(unknown.status).toBe(404);
    expect([wrong.status, wrong.body]).toEqual([404, unknown.body]);
  });

  it("stops accepting a token once statusTokenTtlMs has passed since the order's creation", async () => {
    const { api } = await start({ statusTokenTtlMs: 60 * 60 * 1000 });
    vi.useFakeTimers({ toFake: ["Date"], now: Date.UTC(2026, 10, 30, 4, 0, 0) });
    try {
      const created = await api.post("/pay/orders").send({ orderNo: "S7" }).expect(201);
      const token: string = created.body.statusToken;
      vi.setSystemTime(Date.UTC(2026, 10, 30, 4, 59, 59));
      await api.get("/pay/orders/S7").set(STATUS_TOKEN_HEADER, token).expect(200);
      await api.get("/pay/orders/S7").query({ token }).expect(200);
      vi.setSystemTime(Date.UTC(2026, 10, 30, 5, 0, 0));
      const unknown = await api.get("/pay/orders/NOPE").set(STATUS_TOKEN_HEADER, token);
      for (const res of [await api.get("/pay/orders/S7").set(STATUS_TOKEN_HEADER, token), await api.get("/pay/orders/S7").query({ token })]) {
        expect([res.status, res.body]).toEqual([404, unknown.body]);
      }
      // Posting the order again answers the same token: it does not extend the payment's life.
      const again = await api.post("/pay/orders").send({ orderNo: "S7" }).expect(200);
      expect(again.body.statusToken).toBe(token);
    } finally {
      vi.useRealTimers();
    }
  });

  it("answers a missing or wrong token exactly like an unknown order", async () => {
    const { api } = await start();
    const s2 = await api.post("/pay/orders").send({ orderNo: "S2" }).expect(201);
    await api.post("/pay/orders").send({ orderNo: "S3" }).expect(201);
    const unknown = await api.get("/pay/orders/NOPE").query({ token: s2.body.statusToken });
    const missing = await api.get("/pay/orders/S3");
    const otherOrders = await api.get("/pay/orders/S3").query({ token: s2.body.statusToken });
    const token: string = s2.body.statusToken;
    const tampered = await api.get("/pay/orders/S2").query({ token: (token.startsWith("A") ? "B" : "A") + token.slice(1) });
    const twice = await api.get(`/pay/orders/S2?token=${s2.body.statusToken}&token=${s2.body.statusToken}`);
    for (const res of [unknown, missing, otherOrders, tampered, twice]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual(unknown.body);
      expect(res.headers["content-type"]).toBe(unknown.headers["content-type"]);
    }
    expect(unknown.body).toEqual({ error: { code: "order_not_found", message: "order not found" } });
  });
});

describe("POST /notify/:gateway", () => {
  it("settles a verified notify with the gateway's exact success reply and calls onPaid with the payment", async () => {
    const { api, gateway, paid, router } = await start();
    const events: string[] = [];
    router.events.on("order.paid", (payment) => events.push(payment.orderNo));
    const created = await api.post("/pay/orders").send({ orderNo: "N1", channel: "alipay" }).expect(201);
    const res = await api.post("/pay/notify/fake").type("json").send(gateway.notify({ orderNo: "N1", amountFen: 100 }));
    expect(res.status).toBe(200);
    expect(res.text).toBe("SUCCESS");
    expect(res.headers["content-type"]).toMatch(/^text\/plain/);
    expect(paid).toEqual([
      { orderNo: "N1", amountFen: 100, gateway: "fake", gatewayOrderNo: "FAKE-N1", channel: "alipay", paidAt: "2026-01-02T03:04:05.000Z", attach: "cart-7", status: "paid", refundedFen: 0 },
    ]);
    expect(events).toEqual(["N1"]);
    const status = await api.get("/pay/orders/N1").query({ token: created.body.statusToken }).expect(200);
    expect(status.body).toEqual({ orderNo: "N1", status: "paid", amountFen: 100, paidAt: "2026-01-02T03:04:05.000Z", gatewayOrderNo: "FAKE-N1" });
  });

  it("keeps the gateway order number given at creation when a notify names another", async () => {
    const { api, gateway, paid } = await start();
    const created = await api.post("/pay/orders").send({ orderNo: "N9" }).expect(201);
    const notify = gateway.notify({ orderNo: "N9", amountFen: 100, gatewayOrderNo: "FAKE-N9&mangled=1" });
    await api.post("/pay/notify/fake").type("json").send(notify).expect(200);
    expect(paid.map((payment) => payment.gatewayOrderNo)).toEqual(["FAKE-N9"]);
    const status = await api.get("/pay/orders/N9").query({ token: created.body.statusToken }).expect(200);
    expect(status.body.gatewayOrderNo).toBe("FAKE-N9");
  });

  it("reads the raw body whatever the content type", async () => {
    const { api, gateway, paid } = await start();
    await api.post("/pay/orders").send({ orderNo: "N2" }).expect(201);
    await api.post("/pay/notify/fake").type("text/plain").send(gateway.notify({ orderNo: "N2", amountFen: 100 })).expect(200, "SUCCESS");
    expect(paid.map((payment) => payment.orderNo)).toEqual(["N2"]);
  });

  it("answers an unknown gateway with 404", async () => {
    const { api, gateway } = await start();
    const res = await api.post("/pay/notify/nosuch").send(gateway.notify({ orderNo: "N3", amountFen: 100 })).expect(404);
    expect(res.text).toBe("unknown gateway");
  });

  it("answers a notify over the body limit with the failure reply and a 4xx", async () => {
    const { api } = await start({ bodyLimit: 256 });
    const res = await api.post("/pay/notify/fake").type("json").send(JSON.stringify({ padding: "x".repeat(1024) }));
    expect(res.status).toBe(400);
    expect(res.text).toBe("FAIL");
  });
});
});
