/**
 * Exactly once: however many copies of a valid notify arrive, and however concurrently, the
 * order is paid once and the merchant's onPaid completes once. If onPaid throws, the gateway
 * is told to retry (failure reply), and the retry runs onPaid again.
 */
import { once } from "node:events";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SANDBOX_CREDENTIALS } from "@paybridge/sandbox";
import type { Payment } from "@paybridge/server-middleware";
import { expectNotifyAccepted, recordOf } from "./support/expectations.js";
import { GATEWAY_IDS, orderNumber, secretsOf, startHarness, type HttpAnswer, type Harness } from "./support/harness.js";
import { notifySigner, type GatewayId, type NotifyFields } from "./support/notify-signers.js";
import { parseNotifyBody } from "./support/notify-body.js";

const DUPLICATES = 200;

let harness: Harness;
/** order.paid events per order. */
const paidEvents = new Map<string, number>();

beforeAll(async () => {
  // The sandbox retries a notify that was not acknowledged after 10 ms, like a gateway on a fast clock.
  harness = await startHarness({ sandbox: { notifyRetryDelaysMs: [10, 10, 10] } });
  harness.router.events.on("order.paid", ({ orderNo }) => paidEvents.set(orderNo, (paidEvents.get(orderNo) ?? 0) + 1));
});

beforeEach(() => {
  harness.onPaid = () => {};
});

afterAll(async () => {
  await harness?.close();
  expect(harness.leaks.findSecrets(secretsOf(SANDBOX_CREDENTIALS))).toEqual([]);
});

const callsFor = (orderNo: string): Payment[] => harness.onPaidCalls.filter((payment) => payment.orderNo === orderNo);
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Either the gateway's success reply, or its failure reply (which makes the gateway retry). */
function successOrRetry(gateway: GatewayId, answer: HttpAnswer): "success" | "retry" {
  const { success, failure } = harness.adapters.get(gateway)?.notifyReply ?? {};
  if (answer.status === success?.status && answer.text === success.body) return "success";
  expect(answer.text, `HTTP ${answer.status}`).toBe(failure?.body);
  expect(answer.status).toBeGreaterThanOrEqual(400);
  return "retry";
}

describe.each(GATEWAY_IDS)("a %s notify", (gateway) => {
  it(`delivered ${DUPLICATES} times at once pays the order once and runs onPaid once`, async () => {
    const orderNo = orderNumber(gateway, "dup200");
    const created = await harness.createOrder(gateway, orderNo);
    const notify = await harness.captureNotify(gateway, created.gatewayOrderNo as string);
    let completed = 0;
    // A slow onPaid keeps the claim held while the other copies arrive.
    harness.onPaid = async () => {
      await delay(30);
      completed += 1;
    };

    const answers = await Promise.all(
      Array.from({ length: DUPLICATES }, () => harness.postNotify(gateway, notify.body, notify.contentType)),
    );

    const outcomes = answers.map((answer) => successOrRetry(gateway, answer));
    expect(outcomes).toContain("success");
    expect(callsFor(orderNo)).toHaveLength(1);
    expect(completed).toBe(1);
    expect(paidEvents.get(orderNo)).toBe(1);
    const record = await recordOf(harness, orderNo);
    expect(record).toMatchObject({ status: "paid", fulfilment: "done" });
    expect(callsFor(orderNo)[0]).toMatchObject({ orderNo, amountFen: record.amountFen, gateway });

    // A copy arriving later is acknowledged and changes nothing.
    expectNotifyAccepted(harness, gateway, await harness.postNotify(gateway, notify.body, notify.contentType));
    expect(callsFor(orderNo)).toHaveLength(1);
    expect(await recordOf(harness, orderNo)).toEqual(record);
  });

  it("whose onPaid throws is answered with failure, and the retry runs onPaid again", async () => {
    const orderNo = orderNumber(gateway, "throws");
    const created = await harness.createOrder(gateway, orderNo);
    const notify = await harness.captureNotify(gateway, created.gatewayOrderNo as string);
    harness.onPaid = () => {
      if (callsFor(orderNo).length === 1) throw new Error("the warehouse is down");
    };

    const first = await harness.postNotify(gateway, notify.body, notify.contentType);
    expect(successOrRetry(gateway, first)).toBe("retry");
    expect(callsFor(orderNo)).toHaveLength(1);
    const afterThrow = await recordOf(harness, orderNo);
    expect(afterThrow.status).toBe("paid");

    expectNotifyAccepted(harness, gateway, await harness.postNotify(gateway, notify.body, notify.contentType));
    expect(callsFor(orderNo)).toHaveLength(2);
    expectNotifyAccepted(harness, gateway, await harness.postNotify(gateway, notify.body, notify.contentType));
    expect(callsFor(orderNo)).toHaveLength(2);

    const record = await recordOf(harness, orderNo);
    expect(record).toMatchObject({ status: "paid", fulfilment: "done", paidAt: afterThrow.paidAt });
    expect(paidEvents.get(orderNo)).toBe(1);
  });

  it("whose onPaid throws is retried by the gateway until onPaid succeeds", async () => {
    const orderNo = orderNumber(gateway, "gw-retry");
    const created = await harness.createOrder(gateway, orderNo);
    harness.onPaid = () => {
      if (callsFor(orderNo).length === 1) throw new Error("the warehouse is down");
    };
    const acknowledged = once(harness.sandbox.events, "notify.acknowledged", { signal: AbortSignal.timeout(5_000) });

    // The sandbox delivers for real; its first delivery gets the failure reply.
    const delivery = (await harness.complete(gateway, created.gatewayOrderNo as string)) as { delivered: boolean };
    expect(delivery.delivered).toBe(false);
    const [event] = (await acknowledged) as [{ gatewayOrderNo: string; attempts: number }];

    expect(event).toMatchObject({ gatewayOrderNo: created.gatewayOrderNo, attempts: 2 });
    expect(callsFor(orderNo)).toHaveLength(2);
    expect(await recordOf(harness, orderNo)).toMatchObject({ status: "paid", fulfilment: "done" });
    expect(paidEvents.get(orderNo)).toBe(1);
  });

  it(`delivered ${DUPLICATES} times at once while onPaid fails once completes onPaid exactly once`, async () => {
    const orderNo = orderNumber(gateway, "dupthrow");
    const created = await harness.createOrder(gateway, orderNo);
    const notify = await harness.captureNotify(gateway, created.gatewayOrderNo as string);
    let completed = 0;
    harness.onPaid = async () => {
      await delay(5);
      if (callsFor(orderNo).length === 1) throw new Error("the warehouse is down");
      completed += 1;
    };

    const answers = await Promise.all(
      Array.from({ length: DUPLICATES }, () => harness.postNotify(gateway, notify.body, notify.contentType)),
    );
    answers.forEach((answer) => successOrRetry(gateway, answer));
    // Copies that all arrived while the failing call held the claim are answered "retry"; the gateway's retry finishes it.
    if (completed === 0) expectNotifyAccepted(harness, gateway, await harness.postNotify(gateway, notify.body, notify.contentType));

    expect(completed).toBe(1);
    expect(await recordOf(harness, orderNo)).toMatchObject({ status: "paid", fulfilment: "done" });
    expect(paidEvents.get(orderNo)).toBe(1);
  });

  it("racing the status route's query fallback still runs onPaid once", async () => {
    const orderNo = orderNumber(gateway, "race-query");
    const created = await harness.createOrder(gateway, orderNo);
    // Captured, so the sandbox now says "paid" to queries while the notify has not arrived.
    const notify = await harness.captureNotify(gateway, created.gatewayOrderNo as string);
    harness.onPaid = () => delay(10);

    await Promise.all([
      ...Array.from({ length: 20 }, () => harness.postNotify(gateway, notify.body, notify.contentType)),
      ...Array.from({ length: 20 }, () => harness.status(orderNo, created.statusToken)),
    ]);
    // Whatever was answered "retry" above, the gateway's next delivery settles it.
    expectNotifyAccepted(harness, gateway, await harness.postNotify(gateway, notify.body, notify.contentType));

    expect(callsFor(orderNo)).toHaveLength(1);
    expect(paidEvents.get(orderNo)).toBe(1);
    expect(await recordOf(harness, orderNo)).toMatchObject({ status: "paid", fulfilment: "done" });
  });

  it("that says the payment failed, validly signed, never takes a paid order back", async () => {
    const signer = notifySigner(gateway, SANDBOX_CREDENTIALS);
    const orderNo = orderNumber(gateway, "unpay");
    const created = await harness.createOrder(gateway, orderNo);
    const notify = await harness.captureNotify(gateway, created.gatewayOrderNo as string);
    expectNotifyAccepted(harness, gateway, await harness.postNotify(gateway, notify.body, notify.contentType));
    const paid = await recordOf(harness, orderNo);

    const failed = signer.sign(signer.withFailure(parseNotifyBody(notify.body) as NotifyFields));
    const answer = await harness.postNotify(gateway, JSON.stringify(failed), notify.contentType);
    expect(answer.status).toBeLessThan(500);
    expect(await recordOf(harness, orderNo)).toEqual(paid);
    expect(callsFor(orderNo)).toHaveLength(1);
  });

  it("that says the payment failed, validly signed, closes a pending order without onPaid (control)", async () => {
    const signer = notifySigner(gateway, SANDBOX_CREDENTIALS);
    const orderNo = orderNumber(gateway, "fails");
    const created = await harness.createOrder(gateway, orderNo);
    const notify = await harness.captureNotify(gateway, created.gatewayOrderNo as string);
    const failed = signer.sign(signer.withFailure(parseNotifyBody(notify.body) as NotifyFields));
    expectNotifyAccepted(harness, gateway, await harness.postNotify(gateway, JSON.stringify(failed), notify.contentType));
    expect((await recordOf(harness, orderNo)).status).toBe("failed");
    expect(callsFor(orderNo)).toHaveLength(0);
  });
});

describe.each(GATEWAY_IDS)("an order at %s posted many times at once", (gateway) => {
  it("is created at the gateway once, and every answer carries that one gateway order", async () => {
    const orderNo = orderNumber(gateway, "create50");
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        harness.request("POST", "/orders", { body: JSON.stringify({ orderNo, channel: "wechat", openId: "oOpenId1", appId: "wx01" }) }),
      ),
    );
    // The sandbox, like the gateways, refuses a second order with the same merchant number (a 502 here).
    expect(answers.map((answer) => answer.status).sort((a, b) => a - b)).toEqual([...Array<number>(49).fill(200), 201]);
    const gatewayOrderNos = new Set(answers.map((answer) => (JSON.parse(answer.text) as { gatewayOrderNo: string }).gatewayOrderNo));
    expect(gatewayOrderNos.size).toBe(1);
    expect((await recordOf(harness, orderNo)).gatewayOrderNo).toBe([...gatewayOrderNos][0]);
  });
});

