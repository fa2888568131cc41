/**
 * Refunds and close through the real router against the sandbox's simulators (issue 12):
 * xiangma (refundorder / queryrefund / closeorder), fubei (order.refund / order.refund.query;
 * no close for its mini-program orders), vbao (an assumed refund request, the evidenced refund
 * notify); upaas and lianke have no refund API: refund_unsupported, and close locally. Outcomes
 * and faults are set at the sandbox's control routes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CreateOrderResponse } from "@paybridge/shared";
import { paybridge, type PaybridgeRouter, type Refund } from "@paybridge/server-middleware";
import { sandboxAdapters } from "@paybridge/sandbox";
import { SANDBOX_MERCHANT_CONFIG, postJson, startSandboxShop, type SandboxShop } from "./support/sandbox-shop.js";

const AMOUNT_FEN = 1000;

let sandboxShop: SandboxShop;
let payUrl: string;
let sandboxUrl: string;
let router: PaybridgeRouter;
const refunded: Refund[] = [];
let seq = 0;

beforeAll(async () => {
  sandboxShop = await startSandboxShop();
  ({ payUrl, sandboxUrl } = sandboxShop);
  router = paybridge({
    gateways: sandboxAdapters(sandboxUrl, SANDBOX_MERCHANT_CONFIG),
    routing: (order) => order.orderNo.split("-")[0] as string,
    publicUrl: payUrl,
    resolveOrder: () => ({ amountFen: AMOUNT_FEN, openId: "o-sandbox-payer-1" }),
    onPaid: () => {},
    onRefunded: (refund) => void refunded.push(refund),
    statusTokenSecret: "gateways-refunds-test-secret-0123456789",
    timeoutMs: 400,
    logger: { info: () => {}, warn: () => {}, error: () => {} },
  });
  sandboxShop.shop.use("/pay", router);
});

afterAll(() => sandboxShop?.close());

const SCENE: Record<string, string> = { xiangma: "h5", fubei: "mini", vbao: "h5", upaas: "jsapi", lianke: "jsapi" };

async function createOrder(gateway: string): Promise<CreateOrderResponse> {
  seq += 1;
  const orderNo = `${gateway}-R${process.pid}x${seq}`;
  const created = await postJson(`${payUrl}/orders`, { orderNo, channel: "wechat", scene: SCENE[gateway] });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  return created.json as unknown as CreateOrderResponse;
}

async function paidOrder(gateway: string): Promise<CreateOrderResponse> {
  const order = await createOrder(gateway);
  const completed = await postJson(`${sandboxUrl}/control/complete`, { gateway, gatewayOrderNo: order.gatewayOrderNo, outcome: "paid" });
  expect(completed.status, JSON.stringify(completed.json)).toBe(200);
  expect((await router.store.get(order.orderNo))?.status).toBe("paid");
  return order;
}

const refundsOf = (orderNo: string) => refunded.filter((refund) => refund.orderNo === orderNo).map((refund) => refund.refundNo);

describe("xiangma refunds and close at the sandbox", () => {
  it("refunds partly then the rest; onRefunded once each", async () => {
    const order = await paidOrder("xiangma");
    expect(await router.refund({ orderNo: order.orderNo, refundNo: `${order.orderNo}-a`, amountFen: 300 })).toMatchObject({ status: "succeeded", refundedFen: 300, fulfilled: true });
    expect(await router.refund({ orderNo: order.orderNo, refundNo: `${order.orderNo}-b` })).toMatchObject({ status: "succeeded", amountFen: 700, refundedFen: 1000 });
    expect((await router.store.get(order.orderNo))?.status).toBe("refunded");
    expect(refundsOf(order.orderNo)).toEqual([`${order.orderNo}-a`, `${order.orderNo}-b`]);
  });

  it("a refusal fails the refund and frees its amount", async () => {
    const order = await paidOrder("xiangma");
    await postJson(`${sandboxUrl}/control/refund-outcome`, { gateway: "xiangma", outcome: "failed" });
    expect(await router.refund({ orderNo: order.orderNo, refundNo: `${order.orderNo}-a`, amountFen: 1000 })).toMatchObject({ status: "failed" });
    expect(await router.refund({ orderNo: order.orderNo, refundNo: `${order.orderNo}-b`, amountFen: 1000 })).toMatchObject({ status: "succeeded" });
  });

  it("a processing refund is finished by the retry with the same refundNo", async () => {
    const order = await paidOrder("xiangma");
    await postJson(`${sandboxUrl}/control/refund-outcome`, { gateway: "xiangma", outcome: "processing" });
    const refundNo = `${order.orderNo}-a`;
    expect(await router.refund({ orderNo: order.orderNo, refundNo, amountFen: 100 })).toMatchObject({ status: "processing" });
    await postJson(`${sandboxUrl}/control/complete-refund`, { gateway: "xiangma", refundNo, outcome: "succeeded" });
    expect(await router.refund({ orderNo: order.orderNo, refundNo })).toMatchObject({ status: "succeeded", refundedFen: 100 });
    expect(refundsOf(order.orderNo)).toEqual([refundNo]);
  });

  it("a timeout keeps the amount reserved; the retry with the same refundNo completes it once", async () => {
    const order = await paidOrder("xiangma");
    const refundNo = `${order.orderNo}-a`;
    await postJson(`${sandboxUrl}/control/fault`, { gateway: "xiangma", kind: "timeout" });
    await expect(router.refund({ orderNo: order.orderNo, refundNo, amountFen: 600 })).rejects.toMatchObject({ code: "gateway_timeout" });
    await expect(router.refund({ orderNo: order.orderNo, refundNo: `${order.orderNo}-b`, amountFen: 401 })).rejects.toMatchObject({ code: "refund_not_allowed" });
    expect(await router.refund({ orderNo: order.orderNo, refundNo, amountFen: 600 })).toMatchObject({ status: "succeeded", refundedFen: 600 });
    expect(refundsOf(order.orderNo)).toEqual([refundNo]);
  });

  it("closes a pending order at the gateway; the sandbox then refuses its payment", async () => {
    const order = await createOrder("xiangma");
    expect(await router.close(order.orderNo)).toEqual({ orderNo: order.orderNo, status: "closed", closedAt: "gateway" });
    const completed = await postJson(`${sandboxUrl}/control/complete`, { gateway: "xiangma", gatewayOrderNo: order.gatewayOrderNo, outcome: "paid" });
    expect(completed.status).toBe(409);
  });

  it("a refused close (the order is paid at the gateway) leaves it for the notify", async () => {
    const order = await createOrder("xiangma");
    await postJson(`${sandboxUrl}/control/complete`, { gateway: "xiangma", gatewayOrderNo: order.gatewayOrderNo, outcome: "paid", notify: false });
    await expect(router.close(order.orderNo)).rejects.toMatchObject({ code: "gateway_error" });
    expect((await router.store.get(order.orderNo))?.status).toBe("pending");
  });
});

describe("fubei refunds at the sandbox", () => {
  it("an accepted refund is processing until the retry's query reads REFUND_SUCCESS", async () => {
    const order = await paidOrder("fubei");
    const refundNo = `${order.orderNo}-a`;
    expect(await router.refund({ orderNo: order.orderNo, refundNo, amountFen: 250 })).toMatchObject({ status: "processing", refundedFen: 0 });
    expect(await router.refund({ orderNo: order.orderNo, refundNo })).toMatchObject({ status: "succeeded", refundedFen: 250, fulfilled: true });
    expect(refundsOf(order.orderNo)).toEqual([refundNo]);
  });

  it("allows at most 10 refunds per order (fubei's rule), checked before sending", async () => {
    const order = await paidOrder("fubei");
    for (let i = 0; i < 10; i++) await router.refund({ orderNo: order.orderNo, refundNo: `${order.orderNo}-${i}`, amountFen: 1 });
    await expect(router.refund({ orderNo: order.orderNo, refundNo: `${order.orderNo}-10`, amountFen: 1 })).rejects.toMatchObject({ code: "refund_not_allowed" });
  });

  it("a refusal fails the refund", async () => {
    const order = await paidOrder("fubei");
    await postJson(`${sandboxUrl}/control/refund-outcome`, { gateway: "fubei", outcome: "failed" });
    expect(await router.refund({ orderNo: order.orderNo, refundNo: `${order.orderNo}-a` })).toMatchObject({ status: "failed", refundedFen: 0 });
  });

  it("closes locally (no close API for mini-program orders)", async () => {
    const order = await createOrder("fubei");
    expect(await router.close(order.orderNo)).toEqual({ orderNo: order.orderNo, status: "closed", closedAt: "local" });
  });
});

describe("vbao refunds at the sandbox (assumed request, evidenced notify)", () => {
  it("a refund is processing until vbao's refund notify, which the router answers OK and applies once", async () => {
    const order = await paidOrder("vbao");
    const refundNo = `${order.orderNo}-a`;
    await postJson(`${sandboxUrl}/control/refund-outcome`, { gateway: "vbao", outcome: "processing" });
    expect(await router.refund({ orderNo: order.orderNo, refundNo, amountFen: 400 })).toMatchObject({ status: "processing" });
    const done = await postJson(`${sandboxUrl}/control/complete-refund`, { gateway: "vbao", refundNo, outcome: "succeeded" });
    expect(done.json).toMatchObject({ status: "succeeded", notify: { delivered: true } });
    const record = await router.store.get(order.orderNo);
    expect([record?.status, record?.refunds?.[0]?.status]).toEqual(["partially_refunded", "succeeded"]);
    expect(refundsOf(order.orderNo)).toEqual([refundNo]);
  });
});

describe("gateways without a refund API", () => {
  it.each(["upaas", "lianke"])("%s answers refund_unsupported and closes locally", async (gateway) => {
    const order = await paidOrder(gateway);
    await expect(router.refund({ orderNo: order.orderNo, refundNo: `${order.orderNo}-a` })).rejects.toMatchObject({ code: "refund_unsupported", gateway });
    expect((await router.store.get(order.orderNo))?.refunds).toBeUndefined();
    const pending = await createOrder(gateway);
    expect(await router.close(pending.orderNo)).toMatchObject({ status: "closed", closedAt: "local" });
  });
});
