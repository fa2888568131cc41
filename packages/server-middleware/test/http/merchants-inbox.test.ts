/**
 * Several merchants: a notify refused before any merchant's key could verify it — no such
 * merchant in the URL, the merchants function failing, a body refused unread — is kept in the
 * notify inbox like every other refusal (issue 19): verdict `rejected`, or `retry` when the
 * merchant's setup failed (then replayable once it is back), our reason, the merchant as the URL
 * named it (only a valid merchant id), the bytes as bounded by bodyLimit; only under a gateway
 * id some merchant's adapter has.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { MerchantSetup } from "../../src/types.js";
import { startHarness, type Harness } from "../support/fake-adapter.js";
import { refundGateway } from "../support/refund-gateway.js";

let open: Harness | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

async function shop(extra: Record<string, unknown> = {}) {
  const a = refundGateway({ key: "merchant-a-key-0123456789abcdef" });
  const setups = new Map<string, MerchantSetup | "throw">([["A", { gateways: [a.adapter] }]]);
  open = await startHarness({
    gateway: a,
    gateways: undefined,
    routing: { wechat: "fake", alipay: "fake" },
    merchants: async (merchantId: string) => {
      const setup = setups.get(merchantId);
      if (setup === "throw") throw new Error("no database");
      return setup ?? null;
    },
    resolveOrder: () => ({ amountFen: 100, merchantId: "A" }),
    ...extra,
  });
  return { h: open, a, setups };
}

const post = (h: Harness, path: string, body: string) => h.api.post(path).set("content-type", "application/json").send(body);

describe("several merchants: refusals before verification are kept in the inbox", () => {
  it("an unknown merchant: rejected, our reason, the merchant as named, the bytes; an invalid id is not named", async () => {
    const { h, a } = await shop();
    // A's adapter is loaded: "fake" is a gateway id a merchant has.
    expect((await h.api.post("/pay/orders").send({ orderNo: "1001", channel: "wechat" })).status).toBe(201);
    const body = a.notify({ orderNo: "1001", amountFen: 100 });
    await post(h, "/pay/notify/fake/NOPE", body);
    await post(h, "/pay/notify/fake/bad%20id", body);
    const [named, unnamed] = await h.router.listNotifies();
    expect(named).toMatchObject({ gateway: "fake", verdict: "rejected", reason: "unknown merchant", merchantId: "NOPE", body: Buffer.from(body).toString("base64") });
    expect(unnamed).toMatchObject({ gateway: "fake", verdict: "rejected", reason: "unknown merchant" });
    expect(unnamed).not.toHaveProperty("merchantId");
  });

  it("the merchants function failing: retry, kept with its bytes, and replayed once the merchant is back it settles the order", async () => {
    const { h, a, setups } = await shop();
    const created = await h.api.post("/pay/orders").send({ orderNo: "2001", channel: "wechat" });
    expect(created.status).toBe(201);
    const setupOfA = setups.get("A")!;
    setups.set("A", "throw");
    h.router.invalidateMerchant("A");
    expect((await post(h, "/pay/notify/fake/A", a.notify({ orderNo: "2001", amountFen: 100 }))).status).toBe(503);
    const [kept] = await h.router.listNotifies({ verdict: "retry" });
    expect(kept).toMatchObject({ gateway: "fake", verdict: "retry", reason: "merchant not available", merchantId: "A" });
    setups.set("A", setupOfA);
    await h.router.replay(kept!.id);
    expect((await h.router.store.get("m:A:2001"))?.status).toBe("paid");
  });

  it("a body refused unread at a merchant's URL is kept without its bytes, naming the merchant", async () => {
    const { h } = await shop({ bodyLimit: 64 });
    expect((await h.api.post("/pay/orders").send({ orderNo: "1001", channel: "wechat" })).status).toBe(201);
    await post(h, "/pay/notify/fake/A", JSON.stringify({ padding: "x".repeat(200) }));
    const [kept] = await h.router.listNotifies();
    expect(kept).toMatchObject({ gateway: "fake", verdict: "rejected", merchantId: "A", body: "" });
  });

  it("a gateway segment that no merchant's adapter has is answered but not kept", async () => {
    const { h, a } = await shop();
    expect((await h.api.post("/pay/orders").send({ orderNo: "1001", channel: "wechat" })).status).toBe(201);
    for (const gateway of ["nope", "g".repeat(40)]) {
      const answer = await post(h, `/pay/notify/${gateway}/NOPE`, a.notify({ orderNo: "1001", amountFen: 100 }));
      expect(answer.status).toBeGreaterThanOrEqual(400);
    }
    expect(await h.router.listNotifies()).toEqual([]);
  });
});
