/**
 * Gateway faults: a gateway that hangs, refuses connections, fails with a 5xx, answers
 * something unreadable or signs its answer wrongly gives the browser a 504 / 502 — and leaves
 * no half-created order behind, so the next POST of the same order succeeds. A notify that
 * never arrives is made up for by the status route's query. The adapters reach the sandbox
 * through a relay that can be switched off; paybridge logs with its own default logger here
 * (stderr is searched for secrets), and the gateways use recognisable secrets.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sandboxAdapters } from "@paybridge/sandbox";
import type { CreateOrderResponse } from "@paybridge/shared";
import { CANARY_CREDENTIALS, CANARY_STATUS_TOKEN_SECRET } from "./support/canaries.js";
import { GATEWAY_IDS, orderNumber, secretsOf, startHarness, type Harness, type HttpAnswer } from "./support/harness.js";
import type { GatewayId } from "./support/notify-signers.js";
import { startRelay, type Relay } from "./support/relay.js";

const TIMEOUT_MS = 400;
/** Gateways whose create answer carries a signature the adapter checks (lianke's and vbao's are unsigned). */
const SIGNED_ANSWERS: readonly GatewayId[] = ["upaas", "xiangma", "fubei"];

let harness: Harness;
let relay: Relay;

beforeAll(async () => {
  relay = await startRelay();
  harness = await startHarness({
    credentials: CANARY_CREDENTIALS,
    defaultLogger: true,
    paybridge: { statusTokenSecret: CANARY_STATUS_TOKEN_SECRET, timeoutMs: TIMEOUT_MS, queryIntervalMs: 1 },
    adapters: (sandboxUrl, overrides) => {
      const sandbox = new URL(sandboxUrl);
      relay.target = sandbox.origin;
      return sandboxAdapters(`${relay.url}${sandbox.pathname}`, overrides);
    },
  });
});

beforeEach(() => {
  harness.onPaid = () => {};
});

afterAll(async () => {
  await harness?.close();
  await relay?.off();
  // paybridge's default logger wrote its warnings to stderr, which was searched with everything else.
  expect(harness.leaks.texts().some((text) => text.includes("gateway create failed") || text.includes("\"level\""))).toBe(true);
  expect(harness.leaks.findSecrets(secretsOf(CANARY_CREDENTIALS, CANARY_STATUS_TOKEN_SECRET))).toEqual([]);
});

async function fault(gateway: GatewayId, kind: "timeout" | "http-500" | "invalid-json" | "bad-sign", times = 1): Promise<void> {
  const response = await fetch(`${harness.sandboxUrl}/control/fault`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ gateway, kind, times }),
  });
  expect(response.status).toBe(200);
}

const post = (orderNo: string) =>
  harness.request("POST", "/orders", { body: JSON.stringify({ orderNo, channel: "wechat", openId: "oOpenId1", appId: "wx01" }) });

function expectGatewayFailure(answer: HttpAnswer, status: 502 | 504): void {
  expect(answer.status, answer.text).toBe(status);
  const { error } = JSON.parse(answer.text) as { error: { code: string; message: string } };
  expect(error.code).toBe(status === 504 ? "gateway_timeout" : "gateway_error");
  expect(error.message).toEqual(expect.any(String));
}

/** After a failed create: nothing is left, and posting the order again creates it. */
async function expectRetryable(orderNo: string): Promise<void> {
  expect(await harness.record(orderNo)).toBeNull();
  const retried = await post(orderNo);
  expect(retried.status, retried.text).toBe(201);
  const created = JSON.parse(retried.text) as CreateOrderResponse;
  expect(created).toMatchObject({ orderNo, status: "pending", action: expect.any(Object) });
  expect((await harness.record(orderNo))?.action).toEqual(created.action);
}

describe.each(GATEWAY_IDS)("creating an order at %s", (gateway) => {
  it("when the gateway does not answer in time gives 504, and the order can be posted again", async () => {
    const orderNo = orderNumber(gateway, "f-timeout");
    await fault(gateway, "timeout");
    expectGatewayFailure(await post(orderNo), 504);
    await expectRetryable(orderNo);
  });

  it("when the gateway answers 500 gives 502, and the order can be posted again", async () => {
    const orderNo = orderNumber(gateway, "f-500");
    await fault(gateway, "http-500");
    expectGatewayFailure(await post(orderNo), 502);
    await expectRetryable(orderNo);
  });

  it("when the gateway answers invalid JSON gives 502, and the order can be posted again", async () => {
    const orderNo = orderNumber(gateway, "f-json");
    await fault(gateway, "invalid-json");
    expectGatewayFailure(await post(orderNo), 502);
    await expectRetryable(orderNo);
  });

  it("when the gateway cannot be reached gives 502, and the order can be posted again once it can", async () => {
    const orderNo = orderNumber(gateway, "f-refused");
    await relay.off();
    try {
      expectGatewayFailure(await post(orderNo), 502);
    } finally {
      await relay.on();
    }
    await expectRetryable(orderNo);
  });
});

describe.each(GATEWAY_IDS)("an order at %s whose notify is lost", (gateway) => {
  async function paidWithoutNotify(label: string): Promise<CreateOrderResponse> {
    const created = JSON.parse((await post(orderNumber(gateway, label))).text) as CreateOrderResponse;
    await harness.complete(gateway, created.gatewayOrderNo as string, { notify: false });
    return created;
  }
  const status = async (created: CreateOrderResponse) =>
    JSON.parse((await harness.status(created.orderNo, created.statusToken)).text) as { status: string; amountFen: number };
  const callsFor = (orderNo: string) => harness.onPaidCalls.filter((payment) => payment.orderNo === orderNo);

  it("is found paid by the status route's query, and onPaid runs once", async () => {
    const created = await paidWithoutNotify("lost");
    expect(await status(created)).toMatchObject({ status: "paid", amountFen: created.amountFen });
    expect(await status(created)).toMatchObject({ status: "paid" });
    expect(callsFor(created.orderNo)).toHaveLength(1);
    expect(callsFor(created.orderNo)[0]).toMatchObject({ amountFen: created.amountFen, gateway });
  });

  it("is still found paid when the first query fails", async () => {
    const created = await paidWithoutNotify("lost-flaky");
    await fault(gateway, "http-500");
    const first = await harness.status(created.orderNo, created.statusToken);
    expect(first.status).toBe(200);
    expect(JSON.parse(first.text)).toMatchObject({ status: "pending" });
    expect(await status(created)).toMatchObject({ status: "paid" });
    expect(callsFor(created.orderNo)).toHaveLength(1);
  });

  it("whose onPaid throws when the query finds it paid runs onPaid again on a later status poll", async () => {
    const created = await paidWithoutNotify("lost-throw");
    harness.onPaid = () => {
      if (callsFor(created.orderNo).length === 1) throw new Error("the warehouse is down");
    };
    expect(await status(created)).toMatchObject({ status: "paid" });
    expect(callsFor(created.orderNo).length).toBeGreaterThanOrEqual(1);
    // No notify will come to retry it: the merchant's next poll is the only retry there is.
    expect(await status(created)).toMatchObject({ status: "paid" });
    expect(callsFor(created.orderNo)).toHaveLength(2);
    expect(await harness.record(created.orderNo)).toMatchObject({ status: "paid", fulfilment: "done" });
    expect(await status(created)).toMatchObject({ status: "paid" });
    expect(callsFor(created.orderNo)).toHaveLength(2);
  });
});

describe.each(SIGNED_ANSWERS)("a signed answer from %s", (gateway) => {
  it("with a wrong signature gives 502 to a create, and the order can be posted again", async () => {
    const orderNo = orderNumber(gateway, "f-sign");
    await fault(gateway, "bad-sign");
    expectGatewayFailure(await post(orderNo), 502);
    await expectRetryable(orderNo);
  });

  it("with a wrong signature does not mark a lost-notify order paid", async () => {
    const created = JSON.parse((await post(orderNumber(gateway, "lost-forged"))).text) as CreateOrderResponse;
    await harness.complete(gateway, created.gatewayOrderNo as string, { notify: false });
    await fault(gateway, "bad-sign");
    const status = async () => JSON.parse((await harness.status(created.orderNo, created.statusToken)).text) as { status: string };
    expect(await status()).toMatchObject({ status: "pending" });
    expect(harness.onPaidCalls.filter((payment) => payment.orderNo === created.orderNo)).toHaveLength(0);
    expect(await status()).toMatchObject({ status: "paid" });
  });
});
