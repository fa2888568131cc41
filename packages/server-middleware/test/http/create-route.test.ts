import { createServer, type Server } from "node:net";
import type { Socket } from "node:net";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { fakeGateway, startHarness, type Harness } from "../support/fake-adapter.js";
import { HOSTS } from "../support/hosts.js";
import { rawPost } from "../support/raw-post.js";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

// The HTTP contract, on every host: Express 5, Express 4 and the web-standard handler.
describe.each(HOSTS)("on %s", (hostName) => {
async function start(overrides: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  harness = await startHarness({ host: hostName, ...overrides });
  return harness;
}

describe("POST /orders", () => {
  it("creates the gateway order for the merchant's amount and answers 201 with the action", async () => {
    const { api, gateway, amounts } = await start();
    amounts.set("A1", 1234);
    // The browser's amount is ignored: only resolveOrder's counts.
    const res = await api.post("/pay/orders").send({ orderNo: "A1", channel: "wechat", amountFen: 1 });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      orderNo: "A1",
      status: "pending",
      gateway: "fake",
      gatewayOrderNo: "FAKE-A1",
      amountFen: 1234,
      channel: "wechat",
      action: { type: "wechat", params: expect.objectContaining({ package: "prepay_id=FAKE-A1" }) },
      statusToken: expect.stringMatching(/^\d{10}\.[A-Za-z0-9_-]{43}$/),
    });
    expect(res.body.action.params.timeStamp).toMatch(/^\d{10}$/);
    expect(gateway.createCalls).toHaveLength(1);
    expect(gateway.createCalls[0]).toMatchObject({
      orderNo: "A1",
      amountFen: 1234,
      channel: "wechat",
      scene: "jsapi",
      attach: "cart-7",
      notifyUrl: "https://shop.example/pay/notify/fake",
    });
  });

  it("uses the default channel and the first scene the gateway supports for it", async () => {
    const { api, gateway } = await start();
    const res = await api.post("/pay/orders").send({ orderNo: "A2" });
    expect(res.status).toBe(201);
    expect(res.body.channel).toBe("wechat");
    expect(gateway.createCalls[0]?.scene).toBe("jsapi");
  });

  it("passes the browser's openId and appId, preferring the merchant's openId", async () => {
    const { api, gateway } = await start({
      resolveOrder: ({ orderNo }) => (orderNo === "MINE" ? { amountFen: 5, openId: "merchant-openid" } : { amountFen: 5 }),
    });
    await api.post("/pay/orders").send({ orderNo: "MINE", scene: "mini", openId: "browser-openid", appId: "wx1" }).expect(201);
    await api.post("/pay/orders").send({ orderNo: "THEIRS", openId: "browser-openid" }).expect(201);
    expect(gateway.createCalls.map((call) => [call.openId, call.appId, call.scene])).toEqual([
      ["merchant-openid", "wx1", "mini"],
      ["browser-openid", undefined, "jsapi"],
    ]);
  });

  it("answers a re-post of a pending order with the same action and no second gateway order", async () => {
    const { api, gateway } = await start();
    const first = await api.post("/pay/orders").send({ orderNo: "R1", channel: "alipay" }).expect(201);
    const again = await api.post("/pay/orders").send({ orderNo: "R1", channel: "alipay" }).expect(200);
    expect(again.body).toEqual(first.body);
    expect(again.body.action).toEqual({ type: "alipay", tradeNO: "ALIFAKE-R1" });
    expect(gateway.createCalls).toHaveLength(1);
  });

  it("refuses a re-post of a pending order in another channel, naming channel", async () => {
    const { api, gateway } = await start();
    await api.post("/pay/orders").send({ orderNo: "R2", channel: "alipay" }).expect(201);
    const res = await api.post("/pay/orders").send({ orderNo: "R2", channel: "wechat" }).expect(400);
    expect(res.body.error).toMatchObject({ code: "invalid_request", field: "channel" });
    expect(gateway.createCalls).toHaveLength(1);
  });

  it("creates one gateway order when the same order is posted concurrently", async () => {
    const { api, gateway } = await start();
    const release = gateway.holdCreates();
    const posts = Array.from({ length: 10 }, () => api.post("/pay/orders").send({ orderNo: "C1", channel: "wechat" }).then((res) => res));
    await expect.poll(() => gateway.createCalls.length).toBe(1);
    // Give the other nine time to reach the store while the first is still at the gateway.
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    const responses = await Promise.all(posts);
    expect(gateway.createCalls).toHaveLength(1);
    expect(responses.map((res) => res.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(responses.map((res) => res.body.gatewayOrderNo))).toEqual(new Set(["FAKE-C1"]));
  });

  it("answers a paid order with 200, status paid and no action", async () => {
    const { api, gateway } = await start();
    await api.post("/pay/orders").send({ orderNo: "P1" }).expect(201);
    await api.post("/pay/notify/fake").type("json").send(gateway.notify({ orderNo: "P1", amountFen: 100 })).expect(200);
    const res = await api.post("/pay/orders").send({ orderNo: "P1" }).expect(200);
    expect(res.body).toMatchObject({ orderNo: "P1", status: "paid", amountFen: 100, gatewayOrderNo: "FAKE-P1" });
    expect(res.body).not.toHaveProperty("action");
    expect(gateway.createCalls).toHaveLength(1);
  });

  it("answers 404 when resolveOrder knows no such order", async () => {
    const { api, gateway } = await start();
    const res = await api.post("/pay/orders").send({ orderNo: "UNKNOWN-1" }).expect(404);
    expect(res.body).toEqual({ error: { code: "order_not_found", message: "order not found" } });
    expect(gateway.createCalls).toHaveLength(0);
  });

  it.each([
    ["a non-object body", ["x"], "body"],
    ["a null body", null, "body"],
    ["no orderNo", { channel: "wechat" }, "orderNo"],
    ["a numeric orderNo", { orderNo: 12 }, "orderNo"],
    ["an empty orderNo", { orderNo: "" }, "orderNo"],
    ["a 65-character orderNo", { orderNo: "A".repeat(65) }, "orderNo"],
    ["an orderNo with a space", { orderNo: "A 1" }, "orderNo"],
    ["an orderNo with a slash", { orderNo: "A/1" }, "orderNo"],
    ["an unknown channel", { orderNo: "V1", channel: "paypal" }, "channel"],
    ["a null channel", { orderNo: "V1", channel: null }, "channel"],
    ["an unknown scene", { orderNo: "V1", scene: "app" }, "scene"],
    ["a scene the gateway lacks for the channel", { orderNo: "V1", channel: "wechat", scene: "h5" }, "scene"],
    ["a 129-character openId", { orderNo: "V1", openId: "o".repeat(129) }, "openId"],
    ["a numeric openId", { orderNo: "V1", openId: 7 }, "openId"],
    ["a 65-character appId", { orderNo: "V1", appId: "w".repeat(65) }, "appId"],
    ["an array appId", { orderNo: "V1", appId: ["wx"] }, "appId"],
  ])("answers 400 naming the field for %s", async (_name, body, field) => {
    const { api, gateway } = await start();
    const res = await api.post("/pay/orders").send(JSON.stringify(body)).type("json").expect(400);
    expect(res.body.error).toMatchObject({ code: "invalid_request", field });
    expect(typeof res.body.error.message).toBe("string");
    expect(gateway.createCalls).toHaveLength(0);
  });

  it.each([
    ["openId", { orderNo: "U1", openId: "user\ud83d" }],
    ["appId", { orderNo: "U1", appId: "\udc00wx" }],
    ["a field paybridge does not use", { orderNo: "U1", note: "cut mid-emoji \ud83d" }],
  ])("answers 400 naming the field for a lone UTF-16 surrogate in %s", async (_name, body) => {
    const { api, gateway, router } = await start();
    const field = Object.keys(body)[1] as string;
    // JSON.stringify escapes a lone surrogate as \udXXX: valid JSON, ill-formed text.
    const res = await api.post("/pay/orders").type("json").send(JSON.stringify(body)).expect(400);
    expect(res.body.error).toMatchObject({ code: "invalid_request", field });
    expect(gateway.createCalls).toHaveLength(0);
    expect(await router.store.get("U1")).toBeNull();
  });

  it("accepts text with well-formed surrogate pairs (an emoji)", async () => {
    const { api, gateway } = await start();
    await api.post("/pay/orders").type("json").send(JSON.stringify({ orderNo: "U2", openId: "user\ud83d\ude00" })).expect(201);
    expect(gateway.createCalls[0]?.openId).toBe("user😀");
  });

  it.each([".", ".."])("answers 400 naming orderNo for the order number %j (its status URL normalises away)", async (orderNo) => {
    const { api, gateway } = await start();
    const res = await api.post("/pay/orders").send({ orderNo }).expect(400);
    expect(res.body.error).toMatchObject({ code: "invalid_request", field: "orderNo" });
    expect(gateway.createCalls).toHaveLength(0);
  });

  it.each([
    ["charset latin1", { "content-type": "application/json; charset=latin1" }, Buffer.from('{"orderNo":"H1"}', "latin1"), /charset/],
    ["charset utf-16le", { "content-type": "application/json; charset=utf-16le" }, Buffer.from('{"orderNo":"H1"}', "utf16le"), /charset/],
    ["a gzip body", { "content-type": "application/json", "content-encoding": "gzip" }, gzipSync('{"orderNo":"H1"}'), /Content-Encoding/],
    ["a deflate body", { "content-type": "application/json", "content-encoding": "deflate" }, deflateSync('{"orderNo":"H1"}'), /Content-Encoding/],
    ["a br body", { "content-type": "application/json", "content-encoding": "br" }, brotliCompressSync('{"orderNo":"H1"}'), /Content-Encoding/],
  ])("answers 400 naming body for %s, saying why", async (_name, headers, body, why) => {
    const { port, gateway } = await start();
    const res = await rawPost(port, "/pay/orders", headers, body);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).error).toMatchObject({ code: "invalid_request", field: "body", message: expect.stringMatching(why) });
    expect(gateway.createCalls).toHaveLength(0);
  });

  it("accepts charset utf-8 in any spelling, and bytes that are not UTF-8 are refused naming body", async () => {
    const { api, port } = await start();
    await api.post("/pay/orders").set("content-type", 'application/json; charset="UTF-8"').send('{"orderNo":"H2"}').expect(201);
    // {"orderNo":"H<0xff>"}: a Latin-1 byte, which a lenient decoder would turn into U+FFFD.
    const bytes = Buffer.concat([Buffer.from('{"orderNo":"H'), Buffer.from([0xff]), Buffer.from('"}')]);
    const res = await rawPost(port, "/pay/orders", { "content-type": "application/json" }, bytes);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).error).toMatchObject({ code: "invalid_request", field: "body", message: "body is not valid UTF-8" });
  });

  it("accepts every allowed character in an order number", async () => {
    const { api } = await start();
    await api.post("/pay/orders").send({ orderNo: "aZ09_-.|*@" }).expect(201);
    await api.post("/pay/orders").send({ orderNo: "B".repeat(64) }).expect(201);
  });

  it("answers 400 naming body for malformed JSON and for a body that is not JSON", async () => {
    const { api } = await start();
    const malformed = await api.post("/pay/orders").type("json").send('{"orderNo": "A1"').expect(400);
    expect(malformed.body.error).toMatchObject({ code: "invalid_request", field: "body" });
    const text = await api.post("/pay/orders").type("text").send("orderNo=A1").expect(400);
    expect(text.body.error).toMatchObject({ code: "invalid_request", field: "body" });
  });

  it("answers 400 naming body for a body over the limit", async () => {
    const { api, gateway } = await start({ bodyLimit: 1024 });
    const res = await api.post("/pay/orders").send({ orderNo: "L1", padding: "x".repeat(2048) }).expect(400);
    expect(res.body.error).toMatchObject({ code: "invalid_request", field: "body" });
    expect(gateway.createCalls).toHaveLength(0);
    await api.post("/pay/orders").send({ orderNo: "L1", padding: "x".repeat(512) }).expect(201);
  });

  it("answers 400 naming channel for a channel the routing does not offer", async () => {
    const gateway = fakeGateway();
    const { api } = await start({ gateway, routing: { alipay: "fake" }, defaultChannel: "alipay" });
    const res = await api.post("/pay/orders").send({ orderNo: "N1", channel: "unionpay" }).expect(400);
    expect(res.body.error).toMatchObject({ code: "invalid_request", field: "channel" });
  });

  it("routes by a routing function", async () => {
    const wechat = fakeGateway({ id: "wx", supports: { wechat: ["jsapi"] } });
    const other = fakeGateway({ id: "other" });
    const { api } = await start({
      gateway: other,
      gateways: [wechat.adapter, other.adapter],
      routing: ({ channel, amountFen }) => (channel === "wechat" && amountFen < 1000 ? "wx" : "other"),
    });
    const res = await api.post("/pay/orders").send({ orderNo: "F1", channel: "wechat" }).expect(201);
    expect(res.body.gateway).toBe("wx");
    expect(wechat.createCalls).toHaveLength(1);
    expect(other.createCalls).toHaveLength(0);
  });

  it("answers 502 with a fixed message and the gateway's code (its message to the log and listeners only), leaving the order retryable", async () => {
    const { api, gateway, router } = await start();
    const faults: string[] = [];
    router.events.on("gateway.error", ({ gateway: id, orderNo, operation, error }) => faults.push(`${id} ${orderNo} ${operation} ${error.message}`));
    gateway.failNextCreate("商户号不存在");
    const failed = await api.post("/pay/orders").send({ orderNo: "G1" }).expect(502);
    expect(failed.body).toEqual({ error: { code: "gateway_error", message: "the payment gateway did not accept the request (gateway code REFUSED)" } });
    expect(faults).toEqual(["fake G1 create 商户号不存在"]);
    expect(await router.store.get("G1")).toBeNull();
    const retried = await api.post("/pay/orders").send({ orderNo: "G1" }).expect(201);
    expect(retried.body.gatewayOrderNo).toBe("FAKE-G1");
    expect(gateway.createCalls).toHaveLength(2);
  });

  it("answers 504 when the gateway does not answer in time, and the order stays retryable", async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const address = silent.address();
    const port = typeof address === "object" && address ? address.port : 0;
    try {
      const gateway = fakeGateway({ endpoint: `http://127.0.0.1:${port}/create` });
      const { api, router } = await start({ gateway, timeoutMs: 150 });
      const res = await api.post("/pay/orders").send({ orderNo: "T1" }).expect(504);
      expect(res.body.error).toMatchObject({ code: "gateway_timeout" });
      expect(await router.store.get("T1")).toBeNull();
      await api.post("/pay/orders").send({ orderNo: "T1" }).expect(504);
      expect(gateway.createCalls).toHaveLength(2);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("answers 500 internal without the error's message when a hook throws, and logs it", async () => {
    const { api, logs } = await start({
      resolveOrder: () => {
        throw new Error("database password=hunter2 rejected");
      },
    });
    const res = await api.post("/pay/orders").send({ orderNo: "E1" }).expect(500);
    expect(res.body).toEqual({ error: { code: "internal", message: "internal error" } });
    expect(JSON.stringify(res.body)).not.toContain("hunter2");
    expect(logs.filter((entry) => entry.level === "error")).toHaveLength(1);
    expect(JSON.stringify(logs)).not.toMatch(/at .*\.ts:\d+/);
  });

  it("answers 400 naming amountFen when resolveOrder returns an amount that is not whole fen", async () => {
    const { api, gateway } = await start({ resolveOrder: () => ({ amountFen: 1.5 }) });
    const res = await api.post("/pay/orders").send({ orderNo: "M1" }).expect(400);
    expect(res.body.error).toMatchObject({ code: "invalid_request", field: "amountFen" });
    expect(gateway.createCalls).toHaveLength(0);
  });

  it("answers 409 order_closed for a failed order", async () => {
    const { api, gateway } = await start();
    await api.post("/pay/orders").send({ orderNo: "X1" }).expect(201);
    await api.post("/pay/notify/fake").send(gateway.notify({ orderNo: "X1", amountFen: 100, status: "FAILED" })).expect(200);
    const res = await api.post("/pay/orders").send({ orderNo: "X1" }).expect(409);
    expect(res.body.error.code).toBe("order_closed");
  });
});
});
