/**
 * fubei's service-provider mode end to end (issue 19): one provider key (the sandbox's vendor_sn
 * + vendor secret) serving two shops, each a merchant of its own `merchant_id`, through the real
 * router with `merchants` and the sandbox's /gateway/agent. Each shop pays through its own
 * merchant; a notify for one shop's order posted at the other shop's URL settles nothing; each
 * shop refunds its own orders through the provider key (fbpay.order.refund, .refund.query).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CreateOrderResponse, OrderStatusResponse } from "@paybridge/shared";
import { paybridge, type Payment, type PaybridgeRouter } from "@paybridge/server-middleware";
import { sandboxFubeiProvider } from "@paybridge/sandbox";
import { postJson, startSandboxShop, type SandboxShop } from "./support/sandbox-shop.js";

const MERCHANT_IDS: Record<string, number> = { "shop-1": 1_000_001, "shop-2": 1_000_002 };
let sandboxShop: SandboxShop;
let router: PaybridgeRouter;
const paid: Payment[] = [];
const notifies: Array<{ url: string; body: string }> = [];

beforeAll(async () => {
  sandboxShop = await startSandboxShop();
  const { sandboxUrl, payUrl } = sandboxShop;
  // What the notifies look like, before the router reads them (to post one at the wrong shop).
  sandboxShop.shop.use("/pay/notify", (req, _res, next) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => notifies.push({ url: req.originalUrl, body: Buffer.concat(chunks).toString("utf8") }));
    next();
  });
  router = paybridge({
      merchants: async (merchantId) => {
        const fubeiMerchant = MERCHANT_IDS[merchantId];
        return fubeiMerchant === undefined ? null : { gateways: [sandboxFubeiProvider(sandboxUrl, fubeiMerchant)] };
      },
      routing: { wechat: "fubei", alipay: "fubei" },
      publicUrl: payUrl,
      // The shop is the order number's first part (a real shop knows it from its session).
      resolveOrder: ({ orderNo }) => ({ amountFen: 29, openId: "o-sandbox-payer-1", merchantId: orderNo.split("_")[0] }),
      onPaid: (payment) => {
        paid.push(payment);
      },
      statusTokenSecret: "fubei-provider-sandbox-test-secret-0123",
    });
  sandboxShop.shop.use("/pay", router);
});

afterAll(() => sandboxShop?.close());

async function payAt(shop: string, orderNo: string, notify = true): Promise<CreateOrderResponse> {
  const created = await postJson(`${sandboxShop.payUrl}/orders`, { orderNo, channel: "wechat", scene: "jsapi" });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  const order = created.json as unknown as CreateOrderResponse;
  const completed = await postJson(`${sandboxShop.sandboxUrl}/control/complete`, { gateway: "fubei", gatewayOrderNo: order.gatewayOrderNo, outcome: "paid", notify });
  expect(completed.status).toBe(200);
  return order;
}

async function statusOf(order: CreateOrderResponse): Promise<OrderStatusResponse> {
  const response = await fetch(`${sandboxShop.payUrl}/orders/${order.orderNo}?token=${encodeURIComponent(order.statusToken)}`);
  return (await response.json()) as OrderStatusResponse;
}

describe("fubei provider mode × sandbox, two shops on one provider key", () => {
  it("each shop pays through its own merchant: the notify arrives at its URL, onPaid once, told whose", async () => {
    for (const shop of ["shop-1", "shop-2"]) {
      const order = await payAt(shop, `${shop}_A1`);
      expect(notifies.at(-1)?.url).toBe(`/pay/notify/fubei/${shop}`);
      expect(paid.filter((payment) => payment.orderNo === `${shop}_A1`)).toEqual([expect.objectContaining({ merchantId: shop, amountFen: 29, gateway: "fubei" })]);
      expect(await statusOf(order)).toMatchObject({ status: "paid", amountFen: 29 });
    }
  });

  it("shop-1's genuine notify (same provider key) posted at shop-2's URL is refused there: it names shop-1's merchant", async () => {
    await payAt("shop-1", "shop-1_B1");
    const genuine = notifies.at(-1)!;
    expect(genuine.url).toBe("/pay/notify/fubei/shop-1");
    const before = paid.length;
    const moved = await fetch(`${sandboxShop.payUrl}/notify/fubei/shop-2`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: genuine.body });
    expect(moved.status).toBeGreaterThanOrEqual(400);
    expect(await moved.text()).not.toBe("success");
    expect(paid.length).toBe(before);
  });

  it("without a notify, the status read asks /gateway/agent for this merchant's order and settles it", async () => {
    const order = await payAt("shop-2", "shop-2_C1", false);
    expect(paid.filter((payment) => payment.orderNo === "shop-2_C1")).toHaveLength(0);
    expect(await statusOf(order)).toMatchObject({ status: "paid" });
    expect(paid.filter((payment) => payment.orderNo === "shop-2_C1")).toHaveLength(1);
  });

  it("each shop refunds its own order through the provider key; a processing refund is finished by asking again", async () => {
    await payAt("shop-1", "shop-1_R1");
    expect(await router.refund({ merchantId: "shop-1", orderNo: "shop-1_R1", refundNo: "R1", amountFen: 10 })).toMatchObject({ status: "succeeded", amountFen: 10, refundedFen: 10 });
    // shop-2 has no order of that number: its store view never reaches shop-1's.
    await expect(router.refund({ merchantId: "shop-2", orderNo: "shop-1_R1", refundNo: "R9", amountFen: 1 })).rejects.toMatchObject({ code: "order_not_found" });
    const outcome = await postJson(`${sandboxShop.sandboxUrl}/control/refund-outcome`, { gateway: "fubei", outcome: "processing", times: 1 });
    expect(outcome.status).toBe(200);
    expect(await router.refund({ merchantId: "shop-1", orderNo: "shop-1_R1", refundNo: "R2", amountFen: 5 })).toMatchObject({ status: "processing", refundedFen: 10 });
    const done = await postJson(`${sandboxShop.sandboxUrl}/control/complete-refund`, { gateway: "fubei", refundNo: "R2", outcome: "succeeded" });
    expect(done.status).toBe(200);
    // The same refund number again asks fbpay.order.refund.query and takes its answer.
    expect(await router.refund({ merchantId: "shop-1", orderNo: "shop-1_R1", refundNo: "R2", amountFen: 5 })).toMatchObject({ status: "succeeded", refundedFen: 15 });
    // Past what is left: refused by paybridge before the gateway is asked.
    await expect(router.refund({ merchantId: "shop-1", orderNo: "shop-1_R1", refundNo: "R3", amountFen: 15 })).rejects.toMatchObject({ code: "refund_not_allowed" });
  });
});
