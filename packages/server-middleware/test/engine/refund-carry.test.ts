/**
 * Finding 1 of issue 21 against the real adapters: xiangma and fubei carry a refund number of
 * at most 32 characters. A 36-character one (a UUID) is refused before the ledger reserves
 * anything, so the order's money stays refundable, and nothing is sent.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { PaybridgeError } from "../../src/errors.js";
import { paybridge } from "../../src/express.js";
import { fubei } from "../../src/gateways/fubei/adapter.js";
import type { GatewayAdapter } from "../../src/gateways/contract.js";
import { xiangma } from "../../src/gateways/xiangma/adapter.js";
import { MemoryOrderStore } from "../../src/store/memory.js";
import { STATUS_TOKEN_SECRET } from "../support/fake-adapter.js";

const UUID = "3f0c2a8e-5b1d-4c7e-9a6f-0d2b8e4c1a7f";

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A gateway on 127.0.0.1 that counts requests and answers each with a 503 (outcome unknown). */
async function unavailableGateway(): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  server = createServer((req, res) => {
    requests += 1;
    req.resume();
    res.writeHead(503).end("busy");
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests };
}

async function routerWithPaidOrder(adapter: GatewayAdapter, orderNo: string) {
  const store = new MemoryOrderStore();
  const router = paybridge({
    gateways: [adapter],
    routing: { wechat: adapter.id },
    publicUrl: "https://shop.example/pay",
    statusTokenSecret: STATUS_TOKEN_SECRET,
    resolveOrder: () => null,
    onPaid: () => {},
    store,
    timeoutMs: 2_000,
    logger: { info: () => {}, warn: () => {}, error: () => {} },
  });
  await store.insert({
    orderNo,
    status: "paid",
    amountFen: 1000,
    gateway: adapter.id,
    channel: "wechat",
    scene: "h5",
    action: { type: "redirect", url: "https://pay.example/x" },
    gatewayOrderNo: `G-${orderNo}`,
    createdAt: new Date().toISOString(),
    paidAt: new Date().toISOString(),
    fulfilment: "done",
  });
  return { router, store };
}

const codeOf = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => "resolved",
    (error: PaybridgeError) => error.code,
  );

describe.each([
  ["xiangma", (url: string) => xiangma({ baseUrl: url, instNo: "60000001", mchNo: "Y52212190001", key: "xiangma-test-key" })],
  ["fubei", (url: string) => fubei({ baseUrl: `${url}/gateway`, appId: "20160000001", appSecret: "fubei-secret", storeId: 1234 })],
])("%s: a 36-character refundNo", (gatewayId, adapterAt) => {
  it("is invalid_request before anything is reserved or sent; the whole amount can still be refunded", async () => {
    const gateway = await unavailableGateway();
    const adapter = adapterAt(gateway.url);
    expect(adapter.refundRules?.maxRefundNoLength).toBe(32);
    const { router, store } = await routerWithPaidOrder(adapter, `${gatewayId}-1`);
    for (let attempt = 0; attempt < 3; attempt++) {
      const error = await router.refund({ orderNo: `${gatewayId}-1`, refundNo: UUID }).catch((caught: PaybridgeError) => caught);
      expect(error).toMatchObject({ code: "invalid_request", field: "refundNo" });
    }
    expect((await store.get(`${gatewayId}-1`))?.refunds).toBeUndefined();
    expect(gateway.requests()).toBe(0);
    // Not refund_not_allowed: the whole amount is still free, and this one is sent.
    expect(await codeOf(router.refund({ orderNo: `${gatewayId}-1`, refundNo: "R-0001" }))).toBe("gateway_error");
    expect(gateway.requests()).toBe(1);
    expect((await store.get(`${gatewayId}-1`))?.refunds?.[0]).toMatchObject({ refundNo: "R-0001", amountFen: 1000, status: "processing" });
  });
});
