/**
 * The notify route reads the body itself (exact bytes, any content type, at most bodyLimit).
 * These cases need a real socket: a chunked body with no Content-Length, an encoded body, and
 * a connection reused after a refused body.
 */
import { request as httpRequest, Agent } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/fake-adapter.js";
import { HOSTS } from "../support/hosts.js";

const BODY_LIMIT = 1024;

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});


interface Answer {
  status: number;
  body: string;
}

/** One request; `chunks` are written one by one (chunked encoding unless a length is given). */
function send(port: number, path: string, chunks: Array<string | Buffer>, headers: Record<string, string>, agent?: Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, method: "POST", headers, ...(agent ? { agent } : {}) }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

async function createOrder(port: number, orderNo: string): Promise<void> {
  const answer = await send(port, "/pay/orders", [JSON.stringify({ orderNo, channel: "wechat" })], { "content-type": "application/json" });
  expect(answer.status).toBe(201);
}

describe.each(HOSTS)("on %s, the notify route's body", (hostName) => {
  async function start(): Promise<Harness> {
    harness = await startHarness({ bodyLimit: BODY_LIMIT, host: hostName });
    return harness;
  }

  it("refuses a chunked body that grows past the limit, with the gateway's failure reply", async () => {
    const { gateway, paid, port } = await start();
    await createOrder(port, "B1");
    const padding = "x".repeat(600);
    const answer = await send(port, "/pay/notify/fake", [padding, padding, padding], { "content-type": "text/plain" });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.body).toBe(gateway.adapter.notifyReply.failure.body);
    expect(paid).toEqual([]);
  });

  it("accepts a valid notify sent in several chunks, byte for byte", async () => {
    const { gateway, paid, port } = await start();
    await createOrder(port, "B2");
    const body = gateway.notify({ orderNo: "B2", amountFen: 100 });
    const middle = Math.floor(body.length / 2);
    const answer = await send(port, "/pay/notify/fake", [body.slice(0, middle), body.slice(middle)], { "content-type": "application/json" });
    expect(answer).toEqual({ status: 200, body: gateway.adapter.notifyReply.success.body });
    expect(paid.map((payment) => payment.orderNo)).toEqual(["B2"]);
  });

  it("refuses a compressed body rather than inflating it", async () => {
    const { gateway, paid, port } = await start();
    await createOrder(port, "B3");
    const answer = await send(port, "/pay/notify/fake", [gateway.notify({ orderNo: "B3", amountFen: 100 })], {
      "content-type": "application/json",
      "content-encoding": "gzip",
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toBe(gateway.adapter.notifyReply.failure.body);
    expect(paid).toEqual([]);
  });

  it("keeps the connection usable after refusing a body declared over the limit", async () => {
    const { gateway, paid, port } = await start();
    await createOrder(port, "B4");
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const big = "y".repeat(BODY_LIMIT + 1);
      const refused = await send(port, "/pay/notify/fake", [big], { "content-type": "text/plain", "content-length": String(big.length) }, agent);
      expect(refused.status).toBe(400);
      const body = gateway.notify({ orderNo: "B4", amountFen: 100 });
      const accepted = await send(port, "/pay/notify/fake", [body], { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) }, agent);
      expect(accepted).toEqual({ status: 200, body: gateway.adapter.notifyReply.success.body });
      expect(paid.map((payment) => payment.orderNo)).toEqual(["B4"]);
    } finally {
      agent.destroy();
    }
  });
});
