/**
 * What paybridge reads of a gateway's answer is bounded (maxGatewayResponseBytes, 1 MiB by
 * default): a huge answer costs at most that much memory and answers the browser 502, and the
 * rest of it is never downloaded.
 */
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, GatewayError } from "../../src/errors.js";
import { DEFAULTS } from "../../src/config/defaults.js";
import { createGatewayClient } from "../../src/engine/gateway-client.js";
import { paybridge } from "../../src/express.js";
import { fakeGateway, startHarness, STATUS_TOKEN_SECRET, type Harness } from "../support/fake-adapter.js";

const HUGE = 64 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, "a");

interface Flood {
  url: string;
  /** Bytes handed to the socket before the client went away (or all of them). */
  written(): number;
  closed: Promise<void>;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A gateway that streams a 64 MiB answer, as fast as the reader takes it, with or without a Content-Length. */
async function startFlood(declareLength: boolean): Promise<Flood> {
  let written = 0;
  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { "content-type": "application/json", ...(declareLength ? { "content-length": String(HUGE) } : {}) });
    const pump = (): void => {
      while (written < HUGE && !res.destroyed) {
        written += CHUNK.length;
        if (!res.write(CHUNK)) return void res.once("drain", pump);
      }
      if (written >= HUGE) res.end();
    };
    res.on("close", () => resolveClosed());
    pump();
  });
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, written: () => written, closed };
}

describe("the gateway HTTP client", () => {
  it.each([
    ["streamed without a length", false],
    ["declaring its 64 MiB", true],
  ])("stops reading a 64 MiB answer %s past the cap, with a GatewayError", async (_label, declareLength) => {
    const flood = await startFlood(declareLength);
    const http = createGatewayClient("flood", 10_000);
    const error = await http({ url: flood.url, body: "{}" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).message).toBe(`flood answered more than ${DEFAULTS.maxGatewayResponseBytes} bytes`);
    await flood.closed;
    // What the socket buffers hold aside, far less than was on offer.
    expect(flood.written()).toBeLessThan(HUGE / 4);
  });

  it("reads an answer up to the cap whole", async () => {
    const server = createServer((req, res) => {
      req.resume();
      res.end(`\uFEFF{"a":"${"x".repeat(1000 - 8)}"}`);
    });
    servers.push(server);
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    // 1003 bytes: a 3-byte BOM (dropped, as Response.text() drops it) and 1000 of JSON.
    const answer = await createGatewayClient("g", 10_000, 1003)({ url, body: "{}" });
    expect(answer.body).toHaveLength(1000);
    expect(JSON.parse(answer.body)).toEqual({ a: "x".repeat(992) });
    await expect(createGatewayClient("g", 10_000, 1002)({ url, body: "{}" })).rejects.toThrow("g answered more than 1002 bytes");
  });
});

describe("the gateway HTTP client's timeout", () => {
  const armedTimers = (): number => process.getActiveResourcesInfo().filter((resource) => resource === "Timeout").length;

  it.each([
    ["answered", 200],
    ["failed", 500],
  ])("is disarmed once the gateway has %s: no timer is left to fire (or hold the process) for the rest of timeoutMs", async (_label, status) => {
    const server = createServer((req, res) => {
      req.resume();
      // No keep-alive: an idle pooled socket arms fetch's own timer, which is not ours to count.
      res.writeHead(status, { "content-type": "application/json", connection: "close" }).end("{}");
    });
    servers.push(server);
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const before = armedTimers();
    const answer = await createGatewayClient("g", 60_000)({ url, body: "{}" });
    expect(answer.status).toBe(status);
    // At most: a timer of the test run's own may fire meanwhile; a timer left by the client adds one.
    expect(armedTimers()).toBeLessThanOrEqual(before);
  });
});

describe("maxGatewayResponseBytes", () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it("answers a create whose gateway answers too much with 502, and the order can be posted again", async () => {
    const flood = await startFlood(false);
    const gateway = fakeGateway({ endpoint: flood.url });
    harness = await startHarness({ gateway, maxGatewayResponseBytes: 4096 });
    const answer = await harness.api.post("/pay/orders").send({ orderNo: "BIG1" });
    expect(answer.status).toBe(502);
    expect(answer.body).toEqual({ error: { code: "gateway_error", message: "the payment gateway did not accept the request" } });
    await flood.closed;
    expect(flood.written()).toBeLessThan(HUGE / 4);
    expect(await harness.router.store.get("BIG1")).toBeNull();
  });

  it("must be a positive whole number of bytes", () => {
    for (const maxGatewayResponseBytes of [0, -1, 1.5, "1"]) {
      const create = () =>
        paybridge({
          gateways: [fakeGateway().adapter],
          routing: { wechat: "fake" },
          publicUrl: "https://shop.example/pay",
          statusTokenSecret: STATUS_TOKEN_SECRET,
          resolveOrder: () => null,
          onPaid: () => {},
          maxGatewayResponseBytes: maxGatewayResponseBytes as number,
        });
      expect(create).toThrow(ConfigError);
      expect(create).toThrow(expect.objectContaining({ option: "maxGatewayResponseBytes" }));
    }
  });
});
