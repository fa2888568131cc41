/**
 * The client's events: eventemitter3 underneath, every listener isolated (a throwing one stops
 * neither the emitter nor the listeners after it; its error is rethrown on a fresh task).
 */
import { afterEach, describe, expect, test, vi } from "vitest";
import { IsolatedEmitter } from "../src/isolated-emitter.js";

type Events = {
  paid: (orderNo: string, amountFen: number) => void;
  cancelled: () => void;
};

afterEach(() => {
  vi.useRealTimers();
});

describe("IsolatedEmitter", () => {
  test("calls the event's listeners in order with its arguments; emit says whether it had any", () => {
    const events = new IsolatedEmitter<Events>();
    const seen: string[] = [];
    events.on("paid", (orderNo, amountFen) => seen.push(`first ${orderNo} ${amountFen}`));
    events.on("paid", (orderNo) => seen.push(`second ${orderNo}`));
    expect(events.emit("paid", "A1", 100)).toBe(true);
    expect(events.emit("cancelled")).toBe(false);
    expect(seen).toEqual(["first A1 100", "second A1"]);
  });

  test("on / once / off return the emitter (chainable)", () => {
    const events = new IsolatedEmitter<Events>();
    const listener = (): void => undefined;
    expect(events.on("cancelled", listener)).toBe(events);
    expect(events.once("cancelled", listener)).toBe(events);
    expect(events.off("cancelled", listener)).toBe(events);
  });

  test("a once listener runs for the first emit only", () => {
    const events = new IsolatedEmitter<Events>();
    const once = vi.fn();
    events.once("cancelled", once);
    events.emit("cancelled");
    events.emit("cancelled");
    expect(once).toHaveBeenCalledOnce();
  });

  test("off removes that listener from that event only; without a listener, every listener of the event", () => {
    const events = new IsolatedEmitter<Events>();
    const kept = vi.fn();
    const removed = vi.fn();
    const other = vi.fn();
    events.on("paid", removed).on("paid", kept).on("cancelled", removed).on("cancelled", other);
    events.off("paid", removed);
    events.emit("paid", "A1", 1);
    expect(kept).toHaveBeenCalledOnce();
    expect(removed).not.toHaveBeenCalled();
    events.off("cancelled");
    expect(events.emit("cancelled")).toBe(false);
    expect(other).not.toHaveBeenCalled();
  });

  test("a throwing listener stops neither the emitter nor the listeners after it; its error comes on a fresh task", () => {
    vi.useFakeTimers();
    const events = new IsolatedEmitter<Events>();
    const after = vi.fn();
    events.on("paid", () => {
      throw new Error("page handler broke");
    });
    events.once("paid", () => {
      throw new Error("once handler broke");
    });
    events.on("paid", after);
    expect(events.emit("paid", "A1", 1)).toBe(true);
    expect(after).toHaveBeenCalledOnce();
    expect(vi.getTimerCount()).toBe(2); // one rethrow each
    expect(() => vi.runOnlyPendingTimers()).toThrow("page handler broke");
  });

  test("an emit calls the listeners it started with: one removed during it still runs, one added during it waits", () => {
    const events = new IsolatedEmitter<Events>();
    const seen: string[] = [];
    const second = (): void => void seen.push("second");
    const added = (): void => void seen.push("added");
    events.on("cancelled", () => {
      seen.push("first");
      events.off("cancelled", second);
      events.once("cancelled", added);
    });
    events.on("cancelled", second);
    events.once("cancelled", () => void seen.push("once"));
    events.emit("cancelled");
    expect(seen).toEqual(["first", "second", "once"]);
    seen.length = 0;
    events.emit("cancelled");
    // `added` (a once listener added while another once listener of the event ran) was kept.
    expect(seen).toEqual(["first", "added"]);
  });
});
