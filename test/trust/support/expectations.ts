/** Assertions the trust tests share: what a rejected notify and an untouched order look like. */
import { expect } from "vitest";
import type { OrderRecord } from "@paybridge/server-middleware";
import type { Harness, HttpAnswer } from "./harness.js";
import type { GatewayId } from "./notify-signers.js";

/** The media type of a Content-Type value, lower-cased, without parameters. */
export function mediaType(contentType: string): string {
  return (contentType.split(";")[0] ?? "").trim().toLowerCase();
}

/** A 4xx carrying exactly the gateway's failure reply. */
export function expectNotifyRejected(harness: Harness, gateway: GatewayId, answer: HttpAnswer): void {
  const { failure } = (harness.adapters.get(gateway) as NonNullable<ReturnType<Harness["adapters"]["get"]>>).notifyReply;
  expect(answer.status, `HTTP status (body ${answer.text})`).toBeGreaterThanOrEqual(400);
  expect(answer.status).toBeLessThan(500);
  expect(answer.text).toBe(failure.body);
  expect(mediaType(answer.contentType)).toBe(mediaType(failure.contentType));
}

/** A 2xx carrying exactly the gateway's success reply. */
export function expectNotifyAccepted(harness: Harness, gateway: GatewayId, answer: HttpAnswer): void {
  const { success } = (harness.adapters.get(gateway) as NonNullable<ReturnType<Harness["adapters"]["get"]>>).notifyReply;
  expect(answer.status, `HTTP status (body ${answer.text})`).toBe(success.status);
  expect(answer.text).toBe(success.body);
  expect(mediaType(answer.contentType)).toBe(mediaType(success.contentType));
}

/** The order's record is exactly as it was (same version: no compare-and-set happened) and still pending. */
export async function expectUntouched(harness: Harness, before: OrderRecord): Promise<void> {
  const after = await harness.record(before.orderNo);
  expect(after).toEqual(before);
  expect(after?.status).toBe("pending");
}

/** The record of an order that exists. */
export async function recordOf(harness: Harness, orderNo: string): Promise<OrderRecord> {
  const record = await harness.record(orderNo);
  if (!record) throw new Error(`no record for ${orderNo}`);
  return record;
}
