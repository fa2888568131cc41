/**
 * The memory store keeps its own records and hands out shallow copies whose nested objects are
 * frozen and shared: a caller cannot change what is stored, and an unchanged part spread into a
 * write is not copied again.
 */
import { describe, expect, it } from "vitest";
import { MemoryOrderStore } from "../../src/store/memory.js";
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
});
