/**
 * Forged notifies, for every gateway: whatever an attacker posts to the notify route, the
 * order stays exactly as it was (same record version), onPaid is not called, and the answer
 * is a 4xx with that gateway's own failure reply. Each gateway also has two controls that
 * must be ACCEPTED — the notify the sandbox really sent, and one built by the test's signer —
 * so every rejection below is the protection at work, not a notify the router cannot read.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_CREDENTIALS } from "@paybridge/sandbox";
import { computeSign } from "../../packages/server-middleware/src/gateways/kit/signing.js";
import { expectNotifyAccepted, expectNotifyRejected, expectUntouched, recordOf } from "./support/expectations.js";
import { GATEWAY_IDS, orderNumber, secretsOf, startHarness, type CapturedNotify, type Harness } from "./support/harness.js";
import { notifySigner, type GatewayId, type NotifyFields } from "./support/notify-signers.js";
import { parseNotifyBody } from "./support/notify-body.js";

let harness: Harness;
/** A genuine notify per gateway (its order paid through it), the shape the signers build on. */
const templates = new Map<GatewayId, NotifyFields>();

beforeAll(async () => {
  harness = await startHarness();
  for (const gateway of GATEWAY_IDS) {
    const orderNo = orderNumber(gateway, "template");
    const created = await harness.createOrder(gateway, orderNo);
    const notify = await harness.captureNotify(gateway, created.gatewayOrderNo as string);
    templates.set(gateway, parseNotifyBody(notify.body) as NotifyFields);
    expectNotifyAccepted(harness, gateway, await harness.postNotify(gateway, notify.body, notify.contentType));
  }
});

afterAll(async () => {
  await harness?.close();
  expect(harness.leaks.findSecrets(secretsOf(SANDBOX_CREDENTIALS))).toEqual([]);
});

interface PendingOrder {
  orderNo: string;
  /** The notify the sandbox sent for it (taken before it reached the router). */
  notify: CapturedNotify;
  fields: NotifyFields;
}

/** A pending order whose genuine paid notify has been captured (the sandbox counts it paid). */
async function pendingWithNotify(gateway: GatewayId, label: string): Promise<PendingOrder> {
  const orderNo = orderNumber(gateway, label);
  const created = await harness.createOrder(gateway, orderNo);
  const notify = await harness.captureNotify(gateway, created.gatewayOrderNo as string);
  return { orderNo, notify, fields: parseNotifyBody(notify.body) as NotifyFields };
}

async function pending(gateway: GatewayId, label: string): Promise<string> {
  const orderNo = orderNumber(gateway, label);
  await harness.createOrder(gateway, orderNo);
  return orderNo;
}

describe.each(GATEWAY_IDS)("a notify to %s", (gateway) => {
  const signer = notifySigner(gateway, SANDBOX_CREDENTIALS);
  const post = (fields: NotifyFields | string, path: string = gateway) =>
    harness.postNotify(path, typeof fields === "string" ? fields : JSON.stringify(fields));

  /** Posts `body` and proves nothing changed: the failure reply, same record, no onPaid. */
  async function expectForgeryRejected(orderNo: string, body: NotifyFields | string, path: GatewayId = gateway): Promise<void> {
    const before = await recordOf(harness, orderNo);
    const paidBefore = harness.onPaidCalls.length;
    expectNotifyRejected(harness, path, await post(body, path));
    await expectUntouched(harness, before);
    expect(harness.onPaidCalls.length).toBe(paidBefore);
  }

  it("is accepted when it is the one the gateway sent (control)", async () => {
    const order = await pendingWithNotify(gateway, "genuine");
    expectNotifyAccepted(harness, gateway, await harness.postNotify(gateway, order.notify.body, order.notify.contentType));
    const record = await recordOf(harness, order.orderNo);
    expect(record.status).toBe("paid");
    expect(harness.onPaidCalls.filter((payment) => payment.orderNo === order.orderNo)).toHaveLength(1);
  });

  it("is accepted when the test's signer builds it for a pending order (control for the signer)", async () => {
    const orderNo = await pending(gateway, "signed");
    const template = templates.get(gateway) as NotifyFields;
    // The signer reproduces the gateway's signature byte for byte, so it signs what the gateway would.
    expect(signer.sign(template)[signer.rule.signField]).toBe(template[signer.rule.signField]);
    const record = await recordOf(harness, orderNo);
    const fields = signer.sign(signer.withAmountFen(signer.withOrderNo(template, orderNo), record.amountFen));
    expectNotifyAccepted(harness, gateway, await post(fields));
    expect((await recordOf(harness, orderNo)).status).toBe("paid");
  });

  it("is rejected with a wrong signature", async () => {
    const order = await pendingWithNotify(gateway, "wrongsig");
    const sign = String(order.fields.sign);
    const flipped = sign.slice(0, -1) + (sign.endsWith("0") ? "1" : "0");
    await expectForgeryRejected(order.orderNo, { ...order.fields, sign: flipped });
    // Signed correctly, but with another merchant's key at the same gateway.
    const otherKey = computeSign({ ...order.fields, sign: undefined }, signer.rule, "another-merchants-key-0123456789");
    await expectForgeryRejected(order.orderNo, { ...order.fields, sign: otherKey });
  });

  it("is rejected when a valid signature covers other content", async () => {
    const victim = await pendingWithNotify(gateway, "othersig-a");
    const other = await pendingWithNotify(gateway, "othersig-b");
    // The victim's notify carrying the signature of the other order's (genuine) notify.
    await expectForgeryRejected(victim.orderNo, { ...victim.fields, sign: other.fields.sign });
    // The victim's genuine notify re-addressed to another pending order, signature kept.
    const unpaid = await pending(gateway, "othersig-c");
    const retargeted = signer.withOrderNo(victim.fields, unpaid);
    await expectForgeryRejected(unpaid, { ...retargeted, sign: victim.fields.sign });
  });

  it("is rejected without a sign, or with an empty one", async () => {
    const order = await pendingWithNotify(gateway, "nosign");
    const { sign: _sign, ...unsigned } = order.fields;
    await expectForgeryRejected(order.orderNo, unsigned);
    await expectForgeryRejected(order.orderNo, { ...order.fields, sign: "" });
    await expectForgeryRejected(order.orderNo, { ...order.fields, sign: null });
  });

  it("is rejected when a valid notify of one order is replayed for another", async () => {
    const paid = await pendingWithNotify(gateway, "replay-a");
    const victim = await pending(gateway, "replay-b");
    const victimBefore = await recordOf(harness, victim);
    // The first order's notify, re-addressed to the victim with its signature kept.
    await expectForgeryRejected(victim, { ...signer.withOrderNo(paid.fields, victim), sign: paid.fields.sign });
    // Delivered (and re-delivered) as it was, it pays its own order and nothing else.
    expectNotifyAccepted(harness, gateway, await harness.postNotify(gateway, paid.notify.body));
    expectNotifyAccepted(harness, gateway, await harness.postNotify(gateway, paid.notify.body));
    expect((await recordOf(harness, paid.orderNo)).status).toBe("paid");
    await expectUntouched(harness, victimBefore);
  });

  it("is rejected when its amount differs from the order's, even validly signed", async () => {
    const orderNo = await pending(gateway, "amount");
    const { amountFen } = await recordOf(harness, orderNo);
    const template = signer.withOrderNo(templates.get(gateway) as NotifyFields, orderNo);
    for (const wrong of [amountFen - 1, amountFen + 1, 1, amountFen * 100]) {
      await expectForgeryRejected(orderNo, signer.sign(signer.withAmountFen(template, wrong)));
    }
  });

  it("is rejected for an order that does not exist, even validly signed, and creates none", async () => {
    const unknown = orderNumber(gateway, "never-created");
    const fields = signer.sign(signer.withOrderNo(templates.get(gateway) as NotifyFields, unknown));
    const paidBefore = harness.onPaidCalls.length;
    expectNotifyRejected(harness, gateway, await post(fields));
    expect(await harness.record(unknown)).toBeNull();
    expect(harness.onPaidCalls.length).toBe(paidBefore);
  });

  it("is rejected at another gateway's path, even signed by that gateway for this order", async () => {
    const order = await pendingWithNotify(gateway, "path");
    const { amountFen } = await recordOf(harness, order.orderNo);
    for (const other of GATEWAY_IDS.filter((id) => id !== gateway)) {
      // This gateway's genuine notify, posted where another gateway's notifies go.
      await expectForgeryRejected(order.orderNo, order.fields, other);
      // A notify the other gateway really signed, for this order and amount: the order is not the other gateway's.
      const otherSigner = notifySigner(other, SANDBOX_CREDENTIALS);
      const template = templates.get(other) as NotifyFields;
      await expectForgeryRejected(order.orderNo, otherSigner.sign(otherSigner.withAmountFen(otherSigner.withOrderNo(template, order.orderNo), amountFen)), other);
    }
    // Still the one genuine notify pays it, at its own path.
    expectNotifyAccepted(harness, gateway, await harness.postNotify(gateway, order.notify.body));
  });
});

describe("a notify to a gateway that is not configured", () => {
  it("is answered 404 and changes nothing", async () => {
    const orderNo = await pending("upaas", "nogateway");
    const before = await recordOf(harness, orderNo);
    const answer = await harness.postNotify("nope", JSON.stringify(templates.get("upaas")));
    expect(answer.status).toBe(404);
    await expectUntouched(harness, before);
  });
});
