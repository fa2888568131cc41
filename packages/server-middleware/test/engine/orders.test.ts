import express from "express";
import { createServer } from "node:http";
import request from "supertest";
import { afterEach, describe, expect, it, vi } from "vitest";
import { paybridge } from "../../src/express.js";
import type { QueryResult } from "../../src/gateways/contract.js";
import { MemoryOrderStore } from "../../src/store/memory.js";
import { fakeGateway, startHarness, STATUS_TOKEN_SECRET, type Harness } from "../support/fake-adapter.js";

let harness: Harness | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await harness?.close();
  harness = undefined;
});

async function start(...args: Parameters<typeof startHarness>): Promise<Harness> {
  harness = await startHarness(...args);
  return harness;
}

/** Creates the order and answers its status token. */
async function create(h: Harness, orderNo: string): Promise<string> {
  const res = await h.api.post("/pay/orders").send({ orderNo }).expect(201);
  return res.body.statusToken as string;
}

const slowOnPaid = () => new Promise<void>((resolve) => setTimeout(resolve, 30));

describe("settling by notify", () => {
  it("calls onPaid once for 200 concurrent duplicate notifies", async () => {
    const h = await start({ onPaidImpl: slowOnPaid });
    const paidEvents: string[] = [];
    h.router.events.on("order.paid", (payment) => paidEvents.push(payment.orderNo));
    await create(h, "D1");
    const body = h.gateway.notify({ orderNo: "D1", amountFen: 100 });
    const replies = await Promise.all(Array.from({ length: 200 }, () => h.api.post("/pay/notify/fake").type("json").send(body).then((res) => res)));
    expect(h.paid).toHaveLength(1);
    expect(paidEvents).toEqual(["D1"]);
    // The first settles; duplicates arriving while onPaid runs are told to retry, later ones succeed.
    expect(replies.some((res) => res.status === 200 && res.text === "SUCCESS")).toBe(true);
    for (const res of replies) {
      if (res.text === "SUCCESS") expect(res.status).toBe(200);
      else expect([res.text, res.status >= 500]).toEqual(["FAIL", true]);
    }
    await h.api.post("/pay/notify/fake").type("json").send(body).expect(200, "SUCCESS");
    expect(h.paid).toHaveLength(1);
  });

  it("answers failure when onPaid throws, and runs it again on the gateway's retry", async () => {
    let attempts = 0;
    const h = await start({
      onPaidImpl: () => {
        attempts += 1;
        if (attempts === 1) throw new Error("warehouse offline");
      },
    });
    const token = await create(h, "O1");
    const body = h.gateway.notify({ orderNo: "O1", amountFen: 100 });
    const first = await h.api.post("/pay/notify/fake").type("json").send(body);
    expect(first.text).toBe("FAIL");
    expect(first.status).toBeGreaterThanOrEqual(500);
    // The money is taken: the order is paid even though fulfilment must be retried.
    const status = await h.api.get("/pay/orders/O1").query({ token }).expect(200);
    expect(status.body.status).toBe("paid");
    await h.api.post("/pay/notify/fake").type("json").send(body).expect(200, "SUCCESS");
    await h.api.post("/pay/notify/fake").type("json").send(body).expect(200, "SUCCESS");
    expect(attempts).toBe(2);
    expect(h.logs.some((entry) => entry.level === "error" && entry.fields?.reason === "warehouse offline")).toBe(true);
  });

  it("marks an order failed on a failed notify, and lets a later verified payment win", async () => {
    const h = await start();
    const failed: string[] = [];
    h.router.events.on("order.failed", ({ orderNo, status }) => failed.push(`${orderNo} ${status}`));
    const token = await create(h, "F1");
    await h.api.post("/pay/notify/fake").send(h.gateway.notify({ orderNo: "F1", amountFen: 100, status: "FAILED" })).expect(200, "SUCCESS");
    expect((await h.api.get("/pay/orders/F1").query({ token })).body.status).toBe("failed");
    expect(failed).toEqual(["F1 failed"]);
    await h.api.post("/pay/notify/fake").send(h.gateway.notify({ orderNo: "F1", amountFen: 100 })).expect(200, "SUCCESS");
    expect((await h.api.get("/pay/orders/F1").query({ token })).body.status).toBe("paid");
    expect(h.paid).toHaveLength(1);
  });

  it("acknowledges a pending notify without changing the order", async () => {
    const h = await start();
    await create(h, "W1");
    await h.api.post("/pay/notify/fake").send(h.gateway.notify({ orderNo: "W1", amountFen: 100, status: "PENDING" })).expect(200, "SUCCESS");
    expect((await h.router.store.get("W1"))?.status).toBe("pending");
    expect(h.paid).toHaveLength(0);
  });
});

describe("rejecting a notify", () => {
  const cases: [string, (h: Harness) => { path: string; body: string }, string][] = [
    ["a wrong amount", (h) => ({ path: "/pay/notify/fake", body: h.gateway.notify({ orderNo: "J1", amountFen: 1 }) }), "amount does not match the order"],
    ["an unknown order", (h) => ({ path: "/pay/notify/fake", body: h.gateway.notify({ orderNo: "J404", amountFen: 100 }) }), "unknown order"],
    ["a bad signature", (h) => ({ path: "/pay/notify/fake", body: h.gateway.forgedNotify({ orderNo: "J1", amountFen: 100 }) }), "bad signature"],
    ["a tampered amount", (h) => ({ path: "/pay/notify/fake", body: h.gateway.notify({ orderNo: "J1", amountFen: 100 }).replace('"total_fee":100', '"total_fee":1') }), "bad signature"],
    ["a body that is not JSON", () => ({ path: "/pay/notify/fake", body: "<xml>paid</xml>" }), "notify is not JSON"],
    ["an empty body", () => ({ path: "/pay/notify/fake", body: "" }), "notify is not JSON"],
    [
      "another gateway's path",
      () => ({ path: "/pay/notify/other", body: otherGateway.notify({ orderNo: "J1", amountFen: 100 }) }),
      "order belongs to gateway fake",
    ],
  ];
  const otherGateway = fakeGateway({ id: "other", key: "other-gateway-key" });

  it.each(cases)("changes nothing for %s and answers the failure reply with a 4xx", async (_name, notify, reason) => {
    const gateway = fakeGateway();
    const h = await start({ gateway, gateways: [gateway.adapter, otherGateway.adapter] });
    const rejected: string[] = [];
    h.router.events.on("notify.rejected", (notice) => rejected.push(notice.reason));
    const token = await create(h, "J1");
    const before = await h.router.store.get("J1");
    const { path, body } = notify(h);
    const res = await h.api.post(path).type("json").send(body);
    expect(res.status).toBe(400);
    expect(res.text).toBe("FAIL");
    expect(rejected).toEqual([reason]);
    expect(h.paid).toHaveLength(0);
    expect(await h.router.store.get("J1")).toEqual(before);
    expect((await h.api.get("/pay/orders/J1").query({ token })).body.status).toBe("pending");
  });
});

describe("the status route's query fallback", () => {
  it("records the time it settled as paidAt when the gateway gives none, for each order", async () => {
    const h = await start();
    const paidAts: string[] = [];
    for (const orderNo of ["T1", "T2"]) {
      const token = await create(h, orderNo);
      h.gateway.setQueryResult(orderNo, { status: "paid", amountFen: 100, orderNo });
      const before = Date.now();
      const res = await h.api.get(`/pay/orders/${orderNo}`).query({ token }).expect(200);
      const paidAt = Date.parse(res.body.paidAt as string);
      expect(paidAt).toBeGreaterThanOrEqual(before);
      expect(paidAt).toBeLessThanOrEqual(Date.now());
      expect(new Date(paidAt).toISOString()).toBe(res.body.paidAt);
      paidAts.push(res.body.paidAt as string);
      // A pause, so the two settle in different milliseconds.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(h.paid.map((payment) => payment.paidAt)).toEqual(paidAts);
    expect(paidAts[1]! > paidAts[0]!).toBe(true);
  });

  it("marks the order paid from the gateway's query and runs onPaid once", async () => {
    const h = await start();
    const token = await create(h, "Q1");
    h.gateway.setQueryResult("Q1", { status: "paid", amountFen: 100, gatewayOrderNo: "FAKE-Q1", paidAt: "2026-03-04T05:06:07.000Z" });
    const res = await h.api.get("/pay/orders/Q1").query({ token }).expect(200);
    expect(res.body).toEqual({ orderNo: "Q1", status: "paid", amountFen: 100, paidAt: "2026-03-04T05:06:07.000Z", gatewayOrderNo: "FAKE-Q1" });
    expect(h.paid.map((payment) => payment.orderNo)).toEqual(["Q1"]);
    expect(h.gateway.queryCalls).toEqual([{ orderNo: "Q1", gatewayOrderNo: "FAKE-Q1" }]);
    // The gateway's notify arriving afterwards is acknowledged without a second onPaid.
    await h.api.post("/pay/notify/fake").send(h.gateway.notify({ orderNo: "Q1", amountFen: 100 })).expect(200, "SUCCESS");
    expect(h.paid).toHaveLength(1);
  });

  it("asks the gateway at most once per queryIntervalMs per order", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const h = await start({ queryIntervalMs: 60_000 });
    const token = await create(h, "Q2");
    await h.api.get("/pay/orders/Q2").query({ token }).expect(200);
    await h.api.get("/pay/orders/Q2").query({ token }).expect(200);
    expect(h.gateway.queryCalls).toHaveLength(1);
    vi.setSystemTime(Date.now() + 59_000);
    await h.api.get("/pay/orders/Q2").query({ token }).expect(200);
    expect(h.gateway.queryCalls).toHaveLength(1);
    vi.setSystemTime(Date.now() + 1_000);
    await h.api.get("/pay/orders/Q2").query({ token }).expect(200);
    expect(h.gateway.queryCalls).toHaveLength(2);
  });

  it("does not settle when the queried amount differs from the order", async () => {
    const h = await start();
    const token = await create(h, "Q3");
    h.gateway.setQueryResult("Q3", { status: "paid", amountFen: 1, orderNo: "Q3" });
    const res = await h.api.get("/pay/orders/Q3").query({ token }).expect(200);
    expect(res.body.status).toBe("pending");
    expect(h.paid).toHaveLength(0);
  });

  it.each([
    ["names no order", { status: "paid", amountFen: 100 }],
    ["names another order", { status: "paid", amountFen: 100, orderNo: "OTHER" }],
    ["names another gateway order", { status: "paid", amountFen: 100, gatewayOrderNo: "FAKE-OTHER" }],
    ["names ours but another gateway order", { status: "paid", amountFen: 100, orderNo: "QM", gatewayOrderNo: "FAKE-OTHER" }],
    ["states no amount", { status: "paid", orderNo: "QM" }],
    ["states a null amount", { status: "paid", orderNo: "QM", amountFen: null }],
    ["states no amount, by the gateway order number", { status: "paid", gatewayOrderNo: "FAKE-QM" }],
    ["closes another order", { status: "closed", orderNo: "OTHER" }],
  ] as const)("does not change the order when the query answer %s", async (_name, answer) => {
    const h = await start();
    const token = await create(h, "QM");
    h.gateway.setQueryResult("QM", answer as unknown as QueryResult);
    const res = await h.api.get("/pay/orders/QM").query({ token }).expect(200);
    expect(res.body.status).toBe("pending");
    expect(h.paid).toHaveLength(0);
    expect(h.gateway.queryCalls).toHaveLength(1);
  });

  it.each([
    ["our order number", { orderNo: "QN" }],
    ["the gateway order number stored at creation", { gatewayOrderNo: "FAKE-QN" }],
  ] as const)("settles from a query answer naming %s with the order's amount", async (_name, names) => {
    const h = await start();
    const token = await create(h, "QN");
    h.gateway.setQueryResult("QN", { status: "paid", amountFen: 100, ...names });
    expect((await h.api.get("/pay/orders/QN").query({ token }).expect(200)).body.status).toBe("paid");
    expect(h.paid.map((payment) => payment.orderNo)).toEqual(["QN"]);
  });

  it("marks the order closed when the gateway says so", async () => {
    const h = await start();
    const token = await create(h, "Q4");
    h.gateway.setQueryResult("Q4", { status: "closed" });
    expect((await h.api.get("/pay/orders/Q4").query({ token }).expect(200)).body.status).toBe("closed");
    await h.api.post("/pay/orders").send({ orderNo: "Q4" }).expect(409);
  });

  it("queries once when two instances sharing a store are polled at once", async () => {
    const gateway = fakeGateway();
    const store = new MemoryOrderStore();
    const options = {
      gateways: [gateway.adapter],
      routing: { wechat: "fake" },
      publicUrl: "https://shop.example/pay",
      statusTokenSecret: STATUS_TOKEN_SECRET,
      resolveOrder: () => ({ amountFen: 100 }),
      onPaid: () => {},
      store,
    };
    const servers = [paybridge(options), paybridge(options)].map((router) => createServer(express().use("/pay", router)));
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))));
    try {
      const [one, two] = servers.map((server) => request(server));
      if (!one || !two) throw new Error("two servers expected");
      const token = (await one.post("/pay/orders").send({ orderNo: "Q5" }).expect(201)).body.statusToken as string;
      const polls = Array.from({ length: 20 }, (_, i) => (i % 2 ? one : two).get("/pay/orders/Q5").query({ token }).then((res) => res.status));
      expect(await Promise.all(polls)).toEqual(Array(20).fill(200));
      expect(gateway.queryCalls).toHaveLength(1);
    } finally {
      for (const server of servers) server.closeAllConnections();
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    }
  });
});

describe("events", () => {
  it("keeps settling when a listener throws", async () => {
    const h = await start();
    h.router.events.on("order.paid", () => {
      throw new Error("listener bug");
    });
    await create(h, "L1");
    await h.api.post("/pay/notify/fake").send(h.gateway.notify({ orderNo: "L1", amountFen: 100 })).expect(200, "SUCCESS");
    expect(h.paid).toHaveLength(1);
  });

  it("announces a created order", async () => {
    const h = await start();
    const created: unknown[] = [];
    h.router.events.on("order.created", (order) => created.push(order));
    await create(h, "L2");
    expect(created).toEqual([{ orderNo: "L2", gateway: "fake", gatewayOrderNo: "FAKE-L2", channel: "wechat", amountFen: 100 }]);
  });
});
