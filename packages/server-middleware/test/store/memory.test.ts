/**
 * The memory store keeps its own records and hands out shallow copies whose nested objects are
 * frozen and shared: a caller cannot change what is stored, and an unchanged part spread into a
 * write is not copied again.
 */
import { describe, expect, it } from "vitest";
import { MemoryOrderStore } from "../../src/store/memory.js";
import type { OrderRecord } from "../../src/store/contract.js";
import { newOrder } from "./orders.js";

const order = newOrder({ orderNo: "M1" });

describe("MemoryOrderStore records", () => {
  it("are handed out as copies with frozen nested objects: changing one changes nothing stored", async () => {
    const store = new MemoryOrderStore();
    await store.insert(structuredClone(order));
    const read = (await store.get("M1"))!;
    read.status = "paid";
    expect(() => read.action?.type === "wechat" && (read.action.params.paySign = "tampered")).toThrow(TypeError);
    expect(await store.get("M1")).toEqual({ ...order, version: 1 });
  });

  it("written from a spread record share its frozen nested objects, and keep the caller's object out of the store", async () => {
    const store = new MemoryOrderStore();
    await store.insert(structuredClone(order));
    const { version, ...fields } = (await store.get("M1"))!;
    const next = { ...fields, status: "paid" as const, attach: "cart-7" };
    const updated = (await store.compareAndSet("M1", version, next))!;
    next.attach = "changed after the write";
    updated.attach = "changed in the answer";
    expect(updated.action).toBe(fields.action);
    expect(Object.isFrozen(updated.action)).toBe(true);
    expect(await store.get("M1")).toEqual({ ...order, status: "paid", attach: "cart-7", version: 2 });
  });

  it("keep every nested object of a record as their own frozen copy, whether inserted or written", async () => {
    // Every field set (Required: a field added to OrderRecord must be added here), so each
    // object-valued one is checked, whatever its name.
    const full: Required<Omit<OrderRecord, "version">> = {
      orderNo: "M2",
      status: "partially_refunded",
      amountFen: 1999,
      gateway: "test-gateway",
      channel: "wechat",
      scene: "jsapi",
      action: { type: "wechat", params: { appId: "wx1", timeStamp: "1505107369", nonceStr: "n", package: "prepay_id=p", signType: "RSA", paySign: "s" } },
      gatewayOrderNo: "G-1",
      description: "两杯咖啡",
      attach: "cart=7",
      openId: "o-1",
      createdAt: "2026-11-22T02:00:00.000Z",
      paidAt: "2026-11-22T02:01:00.000Z",
      fulfilment: "done",
      fulfilmentLeaseUntil: 1,
      fulfilmentClaim: "c.1",
      lastQueriedAt: 2,
      lastCloseAttemptAt: 5,
      refunds: [
        { refundNo: "R1", amountFen: 100, status: "succeeded", reason: "r", requestedAt: "2026-11-22T02:02:00.000Z", attempts: 1, sendLeaseUntil: 3, gatewayRefundNo: "GR1", finishedAt: "2026-11-22T02:03:00.000Z", failure: "f", fulfilment: "done", fulfilmentLeaseUntil: 4, fulfilmentClaim: "c.2" },
      ],
    };
    const nestedFields = (Object.keys(full) as (keyof typeof full)[]).filter((key) => typeof full[key] === "object");
    expect(nestedFields.length).toBeGreaterThan(0);

    const store = new MemoryOrderStore();
    const inserted = structuredClone(full);
    await store.insert(inserted);
    const written = structuredClone(full);
    const updated = (await store.compareAndSet("M2", 1, written))!;
    for (const field of nestedFields) {
      for (const given of [inserted, written]) {
        expect(updated[field], field).not.toBe(given[field]);
        expect(Object.isFrozen(updated[field]), field).toBe(true);
      }
    }
    // What callers did to their own objects after the writes reaches nothing stored.
    for (const given of [inserted, written]) {
      if (given.action.type === "wechat") given.action.params.paySign = "tampered";
      (given.refunds[0] as { amountFen: number }).amountFen = 1;
    }
    expect(await store.get("M2")).toEqual({ ...full, version: 2 });
  });
});
