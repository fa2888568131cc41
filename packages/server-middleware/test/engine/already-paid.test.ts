/**
 * A gateway may answer a create with "already paid" (vbao's "400 订单已支付成功"): the core
 * neither fails the order nor believes the word — it asks the gateway's query, and marks the
 * order paid only when that answer names the order with the equal amount.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { GatewayAdapter } from "../../src/gateways/contract.js";
import { fakeGateway, startHarness, type FakeGateway, type Harness } from "../support/fake-adapter.js";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function sayingAlreadyPaid(gateway: FakeGateway): FakeGateway {
  const adapter: GatewayAdapter = {
    ...gateway.adapter,
    createOrder: async (input, http) => ({ ...(await gateway.adapter.createOrder(input, http)), alreadyPaid: true }),
  };
  return Object.assign(Object.create(gateway) as FakeGateway, { adapter });
}

describe("a create answered 'already paid'", () => {
  it("is confirmed by the query and answers the order paid, onPaid once, no action", async () => {
    const gateway = fakeGateway();
    harness = await startHarness({ gateway: sayingAlreadyPaid(gateway) });
    gateway.setQueryResult("AP-1", { status: "paid", orderNo: "AP-1", amountFen: 100 });
    const res = await harness.api.post("/pay/orders").send({ orderNo: "AP-1" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ orderNo: "AP-1", status: "paid", amountFen: 100 });
    expect(res.body.action).toBeUndefined();
    expect(gateway.queryCalls).toHaveLength(1);
    expect(harness.paid.map((payment) => payment.orderNo)).toEqual(["AP-1"]);
  });

  it("stays pending, with its action, when the query does not confirm it (another amount)", async () => {
    const gateway = fakeGateway();
    harness = await startHarness({ gateway: sayingAlreadyPaid(gateway) });
    gateway.setQueryResult("AP-2", { status: "paid", orderNo: "AP-2", amountFen: 1 });
    const res = await harness.api.post("/pay/orders").send({ orderNo: "AP-2" });
    expect(res.body).toMatchObject({ orderNo: "AP-2", status: "pending" });
    expect(res.body.action).toBeDefined();
    expect(harness.paid).toHaveLength(0);
  });
});
