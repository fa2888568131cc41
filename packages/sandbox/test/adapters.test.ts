/**
 * The adapters against the sandbox: each side was written from the documents on its own, so
 * agreement here is evidence both read them the same way (and a failure names the gateway).
 * Last, sandboxAdapters() refuses a sandbox URL it cannot build the adapters' base URLs from.
 */
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { Channel, Scene } from "@paybridge/shared";
import { sandboxAdapters } from "@paybridge/sandbox";
import { ConfigError, GatewayError, GatewayTimeoutError, type GatewayAdapter, type VerifiedNotify } from "@paybridge/server-middleware";
// The adapters' own outbound HTTP client, as paybridge() gives it to them (not a public export).
import { createGatewayClient as createGatewayHttp } from "../../server-middleware/src/engine/gateway-client.js";
import { complete, startSandbox } from "./support.js";
import { uniqueOrderNo } from "./requests.js";

const OPEN_ID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o";
const APP_ID = "wx7b54f0a5769316b9";

const closers: (() => void)[] = [];
afterEach(() => closers.splice(0).forEach((close) => close()));

/** A merchant notify endpoint that reads each notify with the adapter and answers its reply. */
async function startMerchant(adapter: GatewayAdapter) {
  const verified: VerifiedNotify[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      let reply = adapter.notifyReply.success;
      try {
        verified.push(adapter.verifyNotify({ rawBody: Buffer.concat(chunks), headers: { "content-type": req.headers["content-type"] } }));
      } catch {
        reply = adapter.notifyReply.failure;
      }
      res.writeHead(reply.status, { "content-type": reply.contentType }).end(reply.body);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  closers.push(() => server.close());
  return { verified, notifyUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/pay/notify/${adapter.id}` };
}

const cases = sandboxAdapters("http://placeholder").flatMap((adapter) =>
  Object.entries(adapter.supports).flatMap(([channel, scenes]) =>
    (scenes ?? []).map((scene) => ({ gateway: adapter.id, channel: channel as Channel, scene: scene as Scene })),
  ),
);

describe.each(cases)("$gateway adapter × sandbox, $channel $scene", ({ gateway, channel, scene }) => {
  it("creates, receives a verified paid notify the sandbox takes as acknowledged, and queries paid", async () => {
    const running = await startSandbox();
    const adapter = sandboxAdapters(running.url).find((candidate) => candidate.id === gateway)!;
    const merchant = await startMerchant(adapter);
    const http = createGatewayHttp(gateway, 5_000);
    const orderNo = uniqueOrderNo();

    const created = await adapter.createOrder(
      { orderNo, amountFen: 29, channel, scene, openId: OPEN_ID, appId: APP_ID, description: "sandbox", attach: "a1", notifyUrl: merchant.notifyUrl },
      http,
    );
    expect(created.gatewayOrderNo).toBeTruthy();
    if (created.action.type === "wechat") expect(created.action.params.timeStamp).toMatch(/^\d{10}$/);
    if (created.action.type === "redirect") expect(created.action.url.startsWith(running.url)).toBe(true);

    const result = await complete(running, { gateway, gatewayOrderNo: created.gatewayOrderNo, outcome: "paid" });
    expect(result.json).toMatchObject({ delivered: true, attempts: 1 });
    expect(merchant.verified).toEqual([expect.objectContaining({ orderNo, amountFen: 29, outcome: "paid" })]);

    if (adapter.queryOrder) {
      const query = await adapter.queryOrder({ orderNo, gatewayOrderNo: created.gatewayOrderNo }, http);
      expect(query).toMatchObject({ status: "paid", amountFen: 29 });
    }
  });
});

describe("adapters × sandbox faults", () => {
  const input = (adapter: GatewayAdapter) => {
    const [channel, scenes] = Object.entries(adapter.supports)[0]!;
    return { orderNo: uniqueOrderNo(), amountFen: 1, channel: channel as Channel, scene: scenes![0]!, openId: OPEN_ID, appId: APP_ID, notifyUrl: "http://127.0.0.1:9/n" };
  };

  it.each(["upaas", "lianke", "xiangma", "fubei", "vbao"])("%s: a 500 and unreadable JSON are gateway errors, silence a timeout", async (gateway) => {
    const running = await startSandbox();
    const adapter = sandboxAdapters(running.url).find((candidate) => candidate.id === gateway)!;
    const http = createGatewayHttp(gateway, 300);
    await running.post("/control/fault", { gateway, kind: "http-500" });
    await expect(adapter.createOrder(input(adapter), http)).rejects.toBeInstanceOf(GatewayError);
    await running.post("/control/fault", { gateway, kind: "invalid-json" });
    await expect(adapter.createOrder(input(adapter), http)).rejects.toBeInstanceOf(GatewayError);
    await running.post("/control/fault", { gateway, kind: "timeout" });
    await expect(adapter.createOrder(input(adapter), http)).rejects.toBeInstanceOf(GatewayTimeoutError);
  });

  it.each(["upaas", "xiangma"])("%s: a response with a bad signature is refused", async (gateway) => {
    const running = await startSandbox();
    const adapter = sandboxAdapters(running.url).find((candidate) => candidate.id === gateway)!;
    await running.post("/control/fault", { gateway, kind: "bad-sign" });
    await expect(adapter.createOrder(input(adapter), createGatewayHttp(gateway, 5_000))).rejects.toBeInstanceOf(GatewayError);
  });
});

describe("sandboxAdapters(sandboxUrl)", () => {
  it.each([
    ["no URL", undefined],
    ["a relative URL", "/sandbox"],
    ["a number", 3000],
  ])("throws ConfigError naming sandboxUrl for %s", (_name, url) => {
    let thrown: unknown;
    try {
      (sandboxAdapters as (url: unknown) => unknown)(url);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).option).toBe("sandboxUrl");
  });
});
