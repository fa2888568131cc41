/**
 * HTTP and logging details of issue 21: bodyLimit holds when the merchant's body parser read
 * the body first (finding 10); the web handler matches its mount path as Express does, ignoring
 * case, and the default logger's message is never overwritten by a field (finding 11).
 */
import { request as httpRequest } from "node:http";
import { afterEach, describe, expect, it, vi } from "vitest";
import { paybridgeHandler } from "@paybridge/server-middleware/web";
import { defaultLogger } from "../../src/config/logger.js";
import { fakeGateway, startHarness, STATUS_TOKEN_SECRET, type Harness } from "../support/fake-adapter.js";
import { EXPRESS_HOSTS, expressOf } from "../support/hosts.js";

let harness: Harness | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await harness?.close();
  harness = undefined;
});

describe.each(EXPRESS_HOSTS)("on %s, after the merchant's express.json()", (hostName) => {
  const express = expressOf(hostName);

  it("a create body over bodyLimit is refused as the web handler refuses it", async () => {
    harness = await startHarness({ host: hostName, before: [express.json({ limit: "1mb" })] });
    const padding = "x".repeat(200 * 1024);
    const res = await harness.api.post("/pay/orders").send({ orderNo: "BL1", padding });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "invalid_request", field: "body", message: "body is larger than the limit" });
    expect(harness.gateway.createCalls).toHaveLength(0);
    // Within the limit, the parsed body is still taken.
    await harness.api.post("/pay/orders").send({ orderNo: "BL2", padding: "x".repeat(1024) }).expect(201);
  });

  it("a chunked body (no Content-Length) over bodyLimit is measured by its parsed value", async () => {
    harness = await startHarness({ host: hostName, before: [express.json({ limit: "1mb" })], bodyLimit: 2_048 });
    const body = JSON.stringify({ orderNo: "BL3", padding: "y".repeat(4_096) });
    const res = await chunkedPost(harness.port, "/pay/orders", body);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).error).toMatchObject({ field: "body", message: "body is larger than the limit" });
  });
});

/** A JSON POST sent in two chunks, so it carries no Content-Length. */
function chunkedPost(port: number, path: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, method: "POST", headers: { "content-type": "application/json" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.write(body.slice(0, 10));
    req.end(body.slice(10));
  });
}

describe("the web handler's mount path", () => {
  it("matches regardless of case, as Express's does", async () => {
    const gateway = fakeGateway();
    const handler = paybridgeHandler({
      gateways: [gateway.adapter],
      routing: { wechat: "fake" },
      publicUrl: "https://shop.example/Api/Pay",
      statusTokenSecret: STATUS_TOKEN_SECRET,
      resolveOrder: () => ({ amountFen: 100 }),
      onPaid: () => {},
      logger: { info() {}, warn() {}, error() {} },
    });
    for (const [index, path] of ["/api/pay/orders", "/API/PAY/orders", "/Api/Pay/orders"].entries()) {
      const body = JSON.stringify({ orderNo: `MP${index}` });
      const res = await handler(new Request(`https://shop.example${path}`, { method: "POST", headers: { "content-type": "application/json" }, body }));
      expect([path, res.status]).toEqual([path, 201]);
    }
    expect((await handler(new Request("https://shop.example/api/payx/orders", { method: "POST" }))).status).toBe(404);
  });
});

describe("the default logger", () => {
  it("keeps its own message when the fields carry a `message` (a gateway's error text)", () => {
    const lines: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    defaultLogger.warn("gateway create failed", { gateway: "fake", message: "the gateway's own words", level: "info", time: "then" });
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ level: "warn", message: "gateway create failed", gateway: "fake" });
    expect(line.time).not.toBe("then");
  });

  it("logs a gateway failure with the gateway's text under `reason`, the message its own", async () => {
    const gateway = fakeGateway();
    harness = await startHarness({ gateway });
    gateway.failNextCreate("merchant not enabled");
    await harness.api.post("/pay/orders").send({ orderNo: "LGW1" }).expect(502);
    const logged = harness.logs.find((log) => log.message === "gateway create failed");
    expect(logged?.fields).toMatchObject({ gateway: "fake", orderNo: "LGW1", reason: "merchant not enabled" });
  });
});
