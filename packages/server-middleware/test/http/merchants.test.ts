/**
 * Several merchants in one process: two shops A and B, each with its own fake gateway signed by
 * its own key, both under the gateway id "fake". Every route is tried across merchants: a
 * notify signed with B's key for A's order (at A's URL and at B's), B's status token for A's
 * order, the same order number paid at both independently, refunds and closes by merchant.
 */
import type { IncomingMessage } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { redactGatewayText } from "../../src/redact.js";
import type { MerchantSetup } from "../../src/types.js";
import { COMMON_SIGN_RULE, createSigner } from "../../src/gateways/kit/signing.js";
import { startHarness, type Harness } from "../support/fake-adapter.js";
import type { HostName } from "../support/hosts.js";
import { refundGateway, type RefundGateway } from "../support/refund-gateway.js";

const KEY_A = "merchant-a-key-0123456789abcdef";
const KEY_B = "merchant-b-key-fedcba9876543210";

/** The shop a create request is for: the merchant's session would say; here a header. */
function shopOf(req: unknown): string | undefined {
  if (req instanceof Request) return req.headers.get("x-shop") ?? undefined;
  const header = (req as IncomingMessage).headers["x-shop"];
  return typeof header === "string" ? header : undefined;
}

interface Shops {
  h: Harness;
  a: RefundGateway;
  b: RefundGateway;
  calls: string[];
  setups: Map<string, MerchantSetup | "throw" | "hang">;
}

let open: Harness | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

async function shops(hostName: HostName = "express5", extra: Record<string, unknown> = {}): Promise<Shops> {
  const a = refundGateway({ key: KEY_A });
  const b = refundGateway({ key: KEY_B });
  const calls: string[] = [];
  const setups = new Map<string, MerchantSetup | "throw" | "hang">([
    ["A", { gateways: [a.adapter] }],
    ["B", { gateways: [b.adapter] }],
  ]);
  const h = await startHarness({
    host: hostName,
    gateway: a,
    gateways: undefined,
    routing: { wechat: "fake", alipay: "fake" },
    merchants: async (merchantId) => {
      calls.push(merchantId);
      const setup = setups.get(merchantId);
      if (setup === "throw") throw new Error(`no database for ${merchantId}`);
      if (setup === "hang") return new Promise<never>(() => {});
      return setup ?? null;
    },
    merchantTimeoutMs: 200,
    resolveOrder: ({ orderNo, req }) => ({ amountFen: orderNo.startsWith("BIG") ? 500 : 100, merchantId: shopOf(req) }),
    ...extra,
  });
  open = h;
  return { h, a, b, calls, setups };
}

async function create(h: Harness, shop: string, orderNo: string) {
  return h.api.post("/pay/orders").set("x-shop", shop).send({ orderNo, channel: "wechat" });
}

function notify(h: Harness, path: string, body: string) {
  return h.api.post(path).set("content-type", "application/json").send(body);
}

describe.each(["express5", "web"] as const)("several merchants (%s)", (hostName) => {
  it("create uses the merchant's own gateway and names it in the notify URL and the status token", async () => {
    const { h, a, b } = await shops(hostName);
    const atA = await create(h, "A", "1001");
    const atB = await create(h, "B", "1001");
    expect([atA.status, atB.status]).toEqual([201, 201]);
    expect(a.createCalls.map((c) => c.notifyUrl)).toEqual(["https://shop.example/pay/notify/fake/A"]);
    expect(b.createCalls.map((c) => c.notifyUrl)).toEqual(["https://shop.example/pay/notify/fake/B"]);
    expect(atA.body.statusToken).toMatch(/^A~\d+\./);
    expect(atB.body.statusToken).toMatch(/^B~\d+\./);
    // Stored apart: the same order number is two orders.
    expect((await h.router.store.get("m:A:1001"))?.status).toBe("pending");
    expect((await h.router.store.get("m:B:1001"))?.status).toBe("pending");
    expect(await h.router.store.get("1001")).toBeNull();
  });

  it("the same order number is paid at each merchant independently, onPaid told whose", async () => {
    const { h, a, b } = await shops(hostName);
    await create(h, "A", "1001");
    await create(h, "B", "1001");
    expect((await notify(h, "/pay/notify/fake/A", a.notify({ orderNo: "1001", amountFen: 100 }))).text).toBe("SUCCESS");
    expect(h.paid.map((p) => [p.merchantId, p.orderNo])).toEqual([["A", "1001"]]);
    expect((await h.router.store.get("m:B:1001"))?.status).toBe("pending");
    expect((await notify(h, "/pay/notify/fake/B", b.notify({ orderNo: "1001", amountFen: 100 }))).text).toBe("SUCCESS");
    expect(h.paid.map((p) => [p.merchantId, p.orderNo])).toEqual([["A", "1001"], ["B", "1001"]]);
  });

  it("B's valid signature on a notify for A's order settles nothing, at A's URL or at B's", async () => {
    const { h, b } = await shops(hostName);
    await create(h, "A", "A-ONLY");
    const paidByB = b.notify({ orderNo: "A-ONLY", amountFen: 100 });
    const atA = await notify(h, "/pay/notify/fake/A", paidByB);
    expect(atA.status).toBe(400);
    expect(atA.text).toBe("FAIL");
    const atB = await notify(h, "/pay/notify/fake/B", paidByB);
    expect(atB.status).toBe(400);
    expect(h.paid).toEqual([]);
    expect((await h.router.store.get("m:A:A-ONLY"))?.status).toBe("pending");
    // And a notify with no merchant segment reaches no merchant at all.
    expect((await notify(h, "/pay/notify/fake", paidByB)).status).toBe(404);
  });

  it("B's status token never reads A's order of the same number; a token with its merchant swapped fails", async () => {
    const { h } = await shops(hostName);
    const tokenA = (await create(h, "A", "1001")).body.statusToken as string;
    const tokenB = (await create(h, "B", "1001")).body.statusToken as string;
    expect((await h.api.get("/pay/orders/1001").set("x-paybridge-token", tokenA)).status).toBe(200);
    const swapped = `B${tokenA.slice(1)}`;
    const bare = tokenA.slice(2);
    for (const token of [swapped, bare, "C~" + tokenB.slice(2), "bad id~" + tokenB.slice(2)]) {
      expect((await h.api.get("/pay/orders/1001").set("x-paybridge-token", token)).status).toBe(404);
    }
    const atB = await h.api.get("/pay/orders/1001").set("x-paybridge-token", tokenB);
    expect(atB.body.status).toBe("pending");
  });
});

describe("several merchants: refunds, closes, and faults", () => {
  it("router.refund and close act on the named merchant's order, with that merchant's gateway", async () => {
    const { h, a, b } = await shops();
    await create(h, "A", "1001");
    await create(h, "B", "1001");
    await notify(h, "/pay/notify/fake/A", a.notify({ orderNo: "1001", amountFen: 100 }));
    // B's 1001 is not paid: no refund, and A's gateway is never called for it.
    await expect(h.router.refund({ merchantId: "B", orderNo: "1001", refundNo: "R1" })).rejects.toMatchObject({ code: "refund_not_allowed" });
    const refunded = await h.router.refund({ merchantId: "A", orderNo: "1001", refundNo: "R1" });
    expect(refunded.status).toBe("succeeded");
    expect([a.refundCalls.length, b.refundCalls.length]).toEqual([1, 0]);
    await expect(h.router.refund({ orderNo: "1001", refundNo: "R2" })).rejects.toMatchObject({ code: "invalid_request", field: "merchantId" });
    expect(await h.router.close("1001", "B")).toMatchObject({ status: "closed" });
    expect((await h.router.store.get("m:A:1001"))?.status).toBe("refunded");
    await expect(h.router.close("1001")).rejects.toMatchObject({ field: "merchantId" });
  });

  it("a refund notify signed with B's key for A's refund changes nothing", async () => {
    const { h, a, b } = await shops();
    await create(h, "A", "1001");
    await notify(h, "/pay/notify/fake/A", a.notify({ orderNo: "1001", amountFen: 100 }));
    a.script.push({ status: "processing" });
    await h.router.refund({ merchantId: "A", orderNo: "1001", refundNo: "R1" });
    const byB = b.refundNotify({ orderNo: "1001", refundNo: "R1", amountFen: 100 });
    expect((await notify(h, "/pay/notify/fake/A", byB)).status).toBe(400);
    expect((await h.router.store.get("m:A:1001"))?.refunds?.[0]?.status).toBe("processing");
    expect((await notify(h, "/pay/notify/fake/A", a.refundNotify({ orderNo: "1001", refundNo: "R1", amountFen: 100 }))).text).toBe("SUCCESS");
    expect((await h.router.store.get("m:A:1001"))?.refunds?.[0]?.status).toBe("succeeded");
  });

  it("an unknown merchant in a notify URL answers the gateway's failure reply and writes nothing", async () => {
    const { h, a } = await shops();
    await create(h, "A", "1001"); // A's adapter is loaded: its failure reply is known for "fake".
    const before = await h.router.store.get("m:A:1001");
    for (const path of ["/pay/notify/fake/NOPE", "/pay/notify/fake/bad%20id"]) {
      const answer = await notify(h, path, a.notify({ orderNo: "1001", amountFen: 100 }));
      expect([answer.status, answer.text]).toEqual([400, "FAIL"]);
    }
    expect(await h.router.store.get("m:A:1001")).toEqual(before);
    expect(await h.router.store.get("m:NOPE:1001")).toBeNull();
    expect(h.logs.some((l) => l.message === "notify rejected" && l.fields?.reason === "unknown merchant")).toBe(true);
  });

  it("a merchants function that throws or hangs: the notify gets a retry reply, the browser a 503", async () => {
    const { h, a, setups } = await shops();
    await create(h, "A", "1001");
    for (const fault of ["throw", "hang"] as const) {
      setups.set("C", fault);
      const created = await create(h, "C", "2001");
      expect([created.status, created.body.error.code]).toEqual([503, "merchant_unavailable"]);
      expect(JSON.stringify(created.body)).not.toContain("database");
      expect((await notify(h, "/pay/notify/fake/C", a.notify({ orderNo: "2001", amountFen: 100 }))).status).toBe(503);
    }
    expect(h.logs.filter((l) => l.message === "merchant setup failed").length).toBeGreaterThanOrEqual(2);
  });

  it("resolveOrder must name a valid merchant", async () => {
    const { h } = await shops();
    const missing = await h.api.post("/pay/orders").send({ orderNo: "1001", channel: "wechat" });
    expect([missing.status, missing.body.error.field]).toEqual([400, "merchantId"]);
    expect((await create(h, "A:x", "1001")).status).toBe(400);
    expect((await create(h, "ZZZ", "1001")).status).toBe(404);
  });

  it("a merchant's setup is cached for merchantCacheTtlMs, and invalidateMerchant drops it", async () => {
    const { h, calls } = await shops("express5", { merchantCacheTtlMs: 60_000 });
    await create(h, "A", "1001");
    await create(h, "A", "1002");
    expect(calls).toEqual(["A"]);
    h.router.invalidateMerchant("A");
    await create(h, "A", "1003");
    expect(calls).toEqual(["A", "A"]);
  });

  it("every merchant's key is redacted from gateway text, however many merchants' signers were made", async () => {
    const { h } = await shops();
    await create(h, "A", "1001");
    // A thousand merchants' signers made after A's: A's key is still known to redaction.
    for (let i = 0; i < 1_000; i++) createSigner(`merchant-${i}-secret-key-xxxxxxxx`, COMMON_SIGN_RULE);
    expect(redactGatewayText(`sign=${"0".repeat(8)} failed for ${KEY_A}`)).not.toContain(KEY_A);
    expect(redactGatewayText(`echo ${KEY_B}`)).toBe(`echo [redacted]`);
    expect(JSON.stringify(h.logs)).not.toContain(KEY_A);
  });
});

describe("several merchants: the setup cache is bounded", () => {
  it("ten thousand made-up merchants evict the oldest entries rather than grow the cache without end", async () => {
    const { h, a, calls } = await shops("express5", { merchantCacheTtlMs: 3_600_000 });
    await create(h, "A", "1001");
    // Through router.close, which loads a merchant as a notify does, without ten thousand HTTP posts.
    for (let i = 0; i < 10_000; i++) await h.router.close("1", `X${i}`).catch(() => undefined);
    await create(h, "A", "1002");
    expect(calls.filter((id) => id === "A")).toEqual(["A", "A"]);
    expect(a.createCalls.length).toBe(2);
  });
});
