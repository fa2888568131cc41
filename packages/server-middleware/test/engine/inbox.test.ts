/**
 * The notify inbox through the routes: every notify that reaches the route is kept with what
 * became of it; replay runs a kept notify again, once the merchant fixed what refused it; a
 * verified payment for an order the store does not know is kept and raised, never lost.
 */
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import type { PaybridgeError } from "../../src/errors.js";
import { MemoryOrderStore } from "../../src/store/memory.js";
import { startHarness, type Harness } from "../support/fake-adapter.js";
import { HOSTS } from "../support/hosts.js";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const codeOf = (promise: Promise<unknown>): Promise<string> => promise.then(() => "resolved", (error: PaybridgeError) => error.code);

describe.each(HOSTS)("on %s", (host) => {
  it("keeps every notify with its raw bytes, the signature header, and the verdict", async () => {
    const h = (harness = await startHarness({ host }));
    await h.api.post("/pay/orders").send({ orderNo: "IB1" }).expect(201);
    const paid = h.gateway.notify({ orderNo: "IB1", amountFen: 100 });
    await h.api.post("/pay/notify/fake").type("json").set("x-fake-signature", "sig-1").set("cookie", "session=secret").send(paid).expect(200, "SUCCESS");
    await h.api.post("/pay/notify/fake").type("json").send(h.gateway.forgedNotify({ orderNo: "IB1", amountFen: 100 })).expect(400);
    const kept = await h.router.listNotifies();
    expect(kept.map((entry) => [entry.verdict, entry.orderNo ?? null])).toEqual([
      ["accepted", "IB1"],
      ["rejected", null],
    ]);
    expect(Buffer.from(kept[0]?.body ?? "", "base64").toString("utf8")).toBe(paid);
    expect(kept[0]?.headers).toEqual({ "content-type": "application/json", "x-fake-signature": "sig-1" });
    expect(kept[1]?.reason).toMatch(/sign/);
  });

  it("keeps a notify refused unread (encoded body) without its bytes", async () => {
    const h = (harness = await startHarness({ host }));
    const body = gzipSync(Buffer.from(h.gateway.notify({ orderNo: "IB2", amountFen: 100 })));
    await h.api.post("/pay/notify/fake").set("content-type", "application/json").set("content-encoding", "gzip").send(body).expect(400);
    const [entry] = await h.router.listNotifies();
    expect(entry).toMatchObject({ gateway: "fake", verdict: "rejected", body: "" });
    expect(await codeOf(h.router.replay(entry?.id ?? ""))).toBe("invalid_request");
  });
});

describe("replay", () => {
  it("runs a notify that onPaid refused again once the bug is fixed: onPaid completes once, and a second replay changes nothing", async () => {
    let broken = true;
    const h = (harness = await startHarness({
      onPaidImpl: () => {
        if (broken) throw new Error("fulfilment bug");
      },
    }));
    await h.api.post("/pay/orders").send({ orderNo: "RP1" }).expect(201);
    await h.api.post("/pay/notify/fake").type("json").send(h.gateway.notify({ orderNo: "RP1", amountFen: 100 })).expect(500);
    const [entry] = await h.router.listNotifies({ verdict: "retry" });
    expect(entry).toMatchObject({ orderNo: "RP1", reason: "onPaid threw", replays: 0 });

    broken = false;
    expect(await h.router.replay(entry?.id ?? "")).toEqual({ id: entry?.id, gateway: "fake", verdict: "accepted", orderNo: "RP1", replyStatus: 200 });
    expect(h.paid).toHaveLength(2);
    expect((await h.router.store.get("RP1"))?.fulfilment).toBe("done");
    expect(await h.router.replay(entry?.id ?? "")).toMatchObject({ verdict: "accepted", replyStatus: 200 });
    expect(h.paid).toHaveLength(2);
    const after = await h.router.store.inbox?.get(entry?.id ?? "");
    expect(after).toMatchObject({ verdict: "accepted", replays: 2 });
    expect(after?.reason).toBeUndefined();
    expect(await h.router.listNotifies({ verdict: "retry" })).toEqual([]);
  });

  it("refuses an id the inbox does not hold", async () => {
    const h = (harness = await startHarness());
    expect(await codeOf(h.router.replay("000000000-nothing"))).toBe("invalid_request");
  });
});

describe("a verified payment for an order the store does not know", () => {
  it("is refused (the gateway retries), kept as unmatched, raised as payment.unmatched, and settles by replay once the order is back", async () => {
    const store = new MemoryOrderStore();
    const h = (harness = await startHarness({ store }));
    const created = await h.api.post("/pay/orders").send({ orderNo: "LOST1" }).expect(201);
    const record = await store.get("LOST1");
    // The records are lost (a restore from an old backup) before the payment's notify arrives.
    await store.compareAndDelete("LOST1", record?.version ?? 0);
    const unmatched: unknown[] = [];
    h.router.events.on("payment.unmatched", (payment) => unmatched.push(payment));

    await h.api.post("/pay/notify/fake").type("json").send(h.gateway.notify({ orderNo: "LOST1", amountFen: 100 })).expect(400);
    const [entry] = await h.router.listNotifies({ verdict: "unmatched" });
    expect(unmatched).toEqual([{ gateway: "fake", orderNo: "LOST1", amountFen: 100, gatewayOrderNo: "FAKE-LOST1", notifyId: entry?.id }]);
    expect(h.logs.some((log) => log.level === "error" && log.message.includes("does not know"))).toBe(true);
    expect(h.paid).toHaveLength(0);

    // The order is restored; the kept notify settles it.
    const { version: _version, ...fields } = record!;
    await store.insert(fields);
    expect(await h.router.replay(entry?.id ?? "")).toMatchObject({ verdict: "accepted", orderNo: "LOST1" });
    expect(h.paid.map((payment) => payment.orderNo)).toEqual(["LOST1"]);
    expect(created.body.statusToken).toBeTypeOf("string");
  });

  it("a forged payment for an unknown order is rejected, not raised as unmatched", async () => {
    const h = (harness = await startHarness());
    const unmatched: unknown[] = [];
    h.router.events.on("payment.unmatched", (payment) => unmatched.push(payment));
    await h.api.post("/pay/notify/fake").type("json").send(h.gateway.forgedNotify({ orderNo: "GHOST", amountFen: 100 })).expect(400);
    expect(unmatched).toEqual([]);
    expect((await h.router.listNotifies())[0]?.verdict).toBe("rejected");
  });
});

describe("inbox retention", () => {
  it("the sweep drops notifies older than notifyRetentionMs", async () => {
    const h = (harness = await startHarness({ notifyRetentionMs: 50 }));
    await h.api.post("/pay/notify/fake").type("json").send(h.gateway.forgedNotify({ orderNo: "OLD", amountFen: 100 })).expect(400);
    expect(await h.router.listNotifies()).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await h.router.sweepExpired()).toMatchObject({ prunedNotifies: 1 });
    expect(await h.router.listNotifies()).toEqual([]);
  });
});
