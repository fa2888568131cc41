/**
 * Every adapter against the sandbox's independent simulator of its gateway, through the real
 * router: for each gateway × channel × scene it supports, create an order over HTTP, complete
 * the payment at the sandbox (which sends a signed notify), see the notify acknowledged and
 * onPaid run BEFORE any status read (the status route's query fallback would otherwise hide a
 * notify path that rejects every genuine notify), and read the order paid, onPaid run once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Channel, CreateOrderResponse, OrderStatusResponse, Scene } from "@paybridge/shared";
import { paybridge, type GatewayAdapter, type Payment } from "@paybridge/server-middleware";
import { sandboxAdapters } from "@paybridge/sandbox";
import { SANDBOX_MERCHANT_CONFIG, postJson, startSandboxShop, type SandboxShop } from "./support/sandbox-shop.js";

const AMOUNT_FEN = 29;

let sandboxShop: SandboxShop;
let payUrl: string;
let sandboxUrl: string;
let adapters: GatewayAdapter[] = [];
const paid: Payment[] = [];

beforeAll(async () => {
  sandboxShop = await startSandboxShop();
  ({ payUrl, sandboxUrl } = sandboxShop);
  adapters = sandboxAdapters(sandboxUrl, SANDBOX_MERCHANT_CONFIG);
  sandboxShop.shop.use(
    "/pay",
    paybridge({
      gateways: adapters,
      // Order numbers start with the gateway id.
      routing: (order) => order.orderNo.split("-")[0] as string,
      publicUrl: payUrl,
      resolveOrder: ({ orderNo }) => ({ amountFen: AMOUNT_FEN, description: `order ${orderNo}`, openId: "o-sandbox-payer-1" }),
      onPaid: (payment) => {
        paid.push(payment);
      },
      statusTokenSecret: "gateways-sandbox-test-secret-0123456789",
    }),
  );
});

afterAll(() => sandboxShop?.close());

/** Every (gateway, channel, scene) the adapters say they support; sandboxAdapters builds the same five. */
const CASES: Array<[string, Channel, Scene]> = sandboxAdapters("http://127.0.0.1:1/sandbox").flatMap((adapter) =>
  Object.entries(adapter.supports).flatMap(([channel, scenes]) =>
    (scenes ?? []).map((scene): [string, Channel, Scene] => [adapter.id, channel as Channel, scene]),
  ),
);

/** What the browser is told to do: the wallet's own bridge in-app, a page for UnionPay and vbao's launch link. */
function expectedActions(gateway: string, channel: Channel, scene: Scene): string[] {
  if (channel === "unionpay") return ["redirect"];
  // xiangma's h5pay answers WeChat / Alipay parameters or a code_url page, at its choice.
  if (gateway === "xiangma") return [channel, "redirect"];
  // vbao serves a page and the wallets' browsers with its launch link (the mini-program is opened).
  if (gateway === "vbao" && scene !== "mini") return ["redirect"];
  return [channel];
}

describe("router × sandbox, every gateway × channel × scene", () => {
  it("covers all five gateways", () => {
    expect(new Set(CASES.map(([gateway]) => gateway))).toEqual(new Set(["upaas", "lianke", "xiangma", "fubei", "vbao"]));
  });

  it.each(CASES)("%s %s %s: create → complete at the sandbox → paid, onPaid once", async (gateway, channel, scene) => {
    const orderNo = `${gateway}-${channel}-${scene}-1`;
    const created = await postJson(`${payUrl}/orders`, { orderNo, channel, scene });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const order = created.json as unknown as CreateOrderResponse;
    expect(order).toMatchObject({ orderNo, status: "pending", gateway, channel, amountFen: AMOUNT_FEN });
    expect(expectedActions(gateway, channel, scene)).toContain(order.action?.type);
    expect(order.gatewayOrderNo).toEqual(expect.any(String));

    const completed = await postJson(`${sandboxUrl}/control/complete`, { gateway, gatewayOrderNo: order.gatewayOrderNo, outcome: "paid" });
    expect(completed.status, JSON.stringify(completed.json)).toBe(200);
    // The notify path itself, before any status read (whose query fallback would settle the order
    // too): the sandbox's signed notify was delivered and acknowledged, and onPaid already ran.
    expect(completed.json, "the notify was not acknowledged").toMatchObject({ delivered: true, attempts: 1 });
    expect(paid.filter((payment) => payment.orderNo === orderNo), "onPaid had not run from the notify").toHaveLength(1);

    const status = await fetch(`${payUrl}/orders/${orderNo}?token=${encodeURIComponent(order.statusToken)}`);
    expect(status.status).toBe(200);
    const body = (await status.json()) as OrderStatusResponse;
    expect(body).toMatchObject({ orderNo, status: "paid", amountFen: AMOUNT_FEN, gatewayOrderNo: order.gatewayOrderNo });
    const calls = paid.filter((payment) => payment.orderNo === orderNo);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ gateway, channel, amountFen: AMOUNT_FEN });
  });
});

describe("router × sandbox, the query fallback when no notify comes", () => {
  const FIRST_CASES = [...new Map(CASES.map((entry) => [entry[0], entry])).values()];

  it.each(FIRST_CASES)("%s %s %s: paid without a notify → GET status asks the gateway → paid, onPaid once", async (gateway, channel, scene) => {
    const orderNo = `${gateway}-${channel}-${scene}-quiet`;
    const created = await postJson(`${payUrl}/orders`, { orderNo, channel, scene });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const order = created.json as unknown as CreateOrderResponse;

    const completed = await postJson(`${sandboxUrl}/control/complete`, {
      gateway,
      gatewayOrderNo: order.gatewayOrderNo,
      outcome: "paid",
      notify: false,
    });
    expect(completed.json).toMatchObject({ delivered: false });
    expect(paid.filter((payment) => payment.orderNo === orderNo)).toHaveLength(0);

    const status = await fetch(`${payUrl}/orders/${orderNo}?token=${encodeURIComponent(order.statusToken)}`);
    expect(await status.json()).toMatchObject({ orderNo, status: "paid", amountFen: AMOUNT_FEN });
    expect(paid.filter((payment) => payment.orderNo === orderNo)).toHaveLength(1);
  });
});
