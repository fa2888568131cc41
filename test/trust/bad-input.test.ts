/**
 * Bad input on every route gets a clear 4xx — naming the field where there is one — and never
 * a 500 or a stack trace. Every response body of this file, every logger line and every
 * stdout / stderr / console write is then searched for the (recognisable) secrets.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CANARY_CREDENTIALS, CANARY_STATUS_TOKEN_SECRET } from "./support/canaries.js";
import { expectNotifyRejected, mediaType } from "./support/expectations.js";
import { GATEWAY_IDS, orderNumber, secretsOf, startHarness, type Harness, type HttpAnswer } from "./support/harness.js";

const BODY_LIMIT = 4 * 1024;
let harness: Harness;
const answers: HttpAnswer[] = [];

beforeAll(async () => {
  harness = await startHarness({
    credentials: CANARY_CREDENTIALS,
    paybridge: { statusTokenSecret: CANARY_STATUS_TOKEN_SECRET, bodyLimit: BODY_LIMIT },
  });
});

afterAll(async () => {
  await harness?.close();
  // Something was logged and answered, so the search below searched something.
  expect(harness.leaks.logLines.length).toBeGreaterThan(0);
  expect(harness.leaks.findSecrets(secretsOf(CANARY_CREDENTIALS, CANARY_STATUS_TOKEN_SECRET))).toEqual([]);
  // No stack trace or source path in any answer.
  for (const answer of answers) {
    expect(answer.text).not.toMatch(/\n\s+at |\.ts:\d+|\/work\/|node_modules|node:internal/);
  }
});

async function send(method: "GET" | "POST", path: string, body?: string | Buffer, contentType?: string): Promise<HttpAnswer> {
  const answer = await harness.request(method, path, { ...(body === undefined ? {} : { body }), ...(contentType ? { contentType } : {}) });
  answers.push(answer);
  expect(answer.status, `${method} ${path}: ${answer.text}`).toBeLessThan(500);
  return answer;
}

/** A 400 invalid_request naming `field`, with a message a developer can act on. */
function expectInvalid(answer: HttpAnswer, field: string): void {
  expect(answer.status, answer.text).toBe(400);
  expect(mediaType(answer.contentType)).toBe("application/json");
  const body = JSON.parse(answer.text) as { error: { code: string; message: unknown; field?: string } };
  expect(body.error).toMatchObject({ code: "invalid_request", field });
  expect(body.error.message).toEqual(expect.stringMatching(/\S{3}/));
}

const createWith = (fields: Record<string, unknown>) =>
  send("POST", "/orders", JSON.stringify({ channel: "wechat", openId: "oOpenId1", appId: "wx01", ...fields }));

describe("POST /orders", () => {
  it.each([
    ["malformed JSON", '{"orderNo": "upaas-1",'],
    ["a JSON array", '["upaas-1"]'],
    ["a JSON string", '"upaas-1"'],
    ["JSON null", "null"],
  ])("with %s answers 400 naming the body", async (_case, body) => {
    expectInvalid(await send("POST", "/orders", body), "body");
  });

  it("with an empty body answers 400 naming the body or the missing orderNo", async () => {
    const answer = await send("POST", "/orders", "");
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({ error: { code: "invalid_request", field: expect.stringMatching(/^(body|orderNo)$/) } });
  });

  it("with a body that is not JSON at all (text/plain) answers 400 naming the body", async () => {
    expectInvalid(await send("POST", "/orders", "orderNo=upaas-1", "text/plain"), "body");
    expectInvalid(await send("POST", "/orders", "orderNo=upaas-1", "application/x-www-form-urlencoded"), "body");
  });

  it("with a body over the limit answers 400 naming the body", async () => {
    const answer = await send("POST", "/orders", JSON.stringify({ orderNo: "upaas-big", pad: "x".repeat(BODY_LIMIT) }));
    expect([400, 413]).toContain(answer.status);
    expect(JSON.parse(answer.text)).toMatchObject({ error: { code: "invalid_request", field: "body" } });
  });

  it.each([
    ["missing", undefined],
    ["a number", 12345],
    ["empty", ""],
    ["an object", { no: 1 }],
    ["an array", ["upaas-1"]],
    ["over 64 characters", `upaas-${"9".repeat(64)}`],
    ["with a space", "upaas- 1"],
    ["with a slash", "upaas-../1"],
    ["with a non-ASCII letter", "upaas-订单"],
    ["with a NUL", "upaas-\u0000"],
  ])("with orderNo %s answers 400 naming orderNo", async (_case, orderNo) => {
    expectInvalid(await createWith({ orderNo }), "orderNo");
  });

  it.each([
    ["unknown", "bitcoin"],
    ["in capitals", "WECHAT"],
    ["a number", 1],
    ["null", null],
  ])("with a channel %s answers 400 naming channel", async (_case, channel) => {
    expectInvalid(await createWith({ orderNo: "upaas-ch1", channel }), "channel");
  });

  it("with a channel the routed gateway does not offer answers 400 naming channel", async () => {
    expectInvalid(await createWith({ orderNo: "fubei-ch2", channel: "unionpay" }), "channel");
    expectInvalid(await createWith({ orderNo: "lianke-ch3", channel: "unionpay" }), "channel");
  });

  it.each([
    ["unknown", "desktop"],
    ["a number", 2],
    ["one the gateway does not support for the channel", "h5"],
  ])("with a scene %s answers 400 naming scene", async (_case, scene) => {
    expectInvalid(await createWith({ orderNo: "upaas-sc1", scene }), "scene");
  });

  it.each([
    ["openId", "a number", 42],
    ["openId", "empty", ""],
    ["openId", "over 128 characters", "o".repeat(129)],
    ["appId", "an array", ["wx01"]],
    ["appId", "over 64 characters", "w".repeat(65)],
  ])("with %s %s answers 400 naming it", async (field, _case, value) => {
    expectInvalid(await createWith({ orderNo: "upaas-id1", [field]: value }), field);
  });

  it("with a field over the gateway's own limit answers 400 naming it, before anything is sent, and can be posted again", async () => {
    // fubei's sub_openid is at most 32 characters; lianke's order_no too.
    expectInvalid(await createWith({ orderNo: "fubei-long1", openId: "o".repeat(33) }), "openId");
    const longOrderNo = `lianke-${"1".repeat(30)}`;
    expectInvalid(await createWith({ orderNo: longOrderNo }), "orderNo");
    expect(await harness.record("fubei-long1")).toBeNull();
    expect(await harness.record(longOrderNo)).toBeNull();
    // The order was not left half-created: with a valid openId it is created.
    const retried = await createWith({ orderNo: "fubei-long1", openId: "oOpenId1" });
    expect(retried.status, retried.text).toBe(201);
  });

  it.each([
    ["zero", 0],
    ["negative", -100],
    ["a fraction of a fen", 12.5],
    ["a string", "100"],
    ["above the maximum", 10_000_000_000],
    ["NaN", Number.NaN],
  ])("when resolveOrder returns an amount that is %s answers 400 naming amountFen and creates nothing", async (_case, amountFen) => {
    const orderNo = orderNumber("upaas", `amt${String(amountFen).replace(/\W/g, "")}`);
    harness.amounts.set(orderNo, amountFen);
    expectInvalid(await createWith({ orderNo }), "amountFen");
    expect(await harness.record(orderNo)).toBeNull();
  });

  it("ignores an amount the browser sends: the order has resolveOrder's amount", async () => {
    const orderNo = orderNumber("upaas", "browser-amount");
    harness.amounts.set(orderNo, 8888);
    const answer = await createWith({ orderNo, amountFen: 1, amount: "0.01", total_amount: 1 });
    expect(answer.status, answer.text).toBe(201);
    expect(JSON.parse(answer.text)).toMatchObject({ amountFen: 8888 });
    expect((await harness.record(orderNo))?.amountFen).toBe(8888);
    // And the gateway was asked for 8888 fen: the amount of its notify is the order's.
    const notify = await harness.captureNotify("upaas", (await harness.record(orderNo))?.gatewayOrderNo as string);
    expect(JSON.parse(notify.body)).toMatchObject({ amount: "88.88" });
  });

  it("for an order resolveOrder does not know answers 404 order_not_found", async () => {
    harness.amounts.set("upaas-nosuch", null);
    const answer = await createWith({ orderNo: "upaas-nosuch" });
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.text)).toMatchObject({ error: { code: "order_not_found" } });
  });
});

describe("GET /orders/:orderNo", () => {
  it.each([
    ["a very long order number", `/orders/${"9".repeat(4000)}?token=x`],
    ["a malformed percent-escape in the order number", "/orders/upaas-%E0%A4%A?token=x"],
    ["a percent-encoded NUL", "/orders/upaas-%00?token=x"],
    ["a very long token", `/orders/upaas-1?token=${"t".repeat(4000)}`],
    ["a malformed percent-escape in the token", "/orders/upaas-1?token=%E0%A4%A"],
    ["a nested token object", "/orders/upaas-1?token[a][b]=c"],
  ])("with %s answers 4xx, never 500", async (_case, path) => {
    const answer = await send("GET", path);
    expect(answer.status).toBeGreaterThanOrEqual(400);
  });
});

describe("POST /notify/:gateway", () => {
  describe.each(GATEWAY_IDS)("%s", (gateway) => {
    it.each([
      ["malformed JSON", '{"sign":', "application/json"],
      ["an empty body", "", "application/json"],
      ["a JSON array", "[1,2]", "application/json"],
      ["JSON null", "null", "application/json"],
      ["form fields without a sign", "a=1&b=2", "application/x-www-form-urlencoded"],
      ["binary", Buffer.from([0xff, 0xfe, 0x00, 0x01]), "application/octet-stream"],
      ["a body over the limit", JSON.stringify({ sign: "0", pad: "x".repeat(BODY_LIMIT) }), "application/json"],
    ])("with %s answers the gateway's failure reply with a 4xx", async (_case, body, contentType) => {
      const answer = await send("POST", `/notify/${gateway}`, body, contentType);
      expectNotifyRejected(harness, gateway, answer);
    });
  });

  it("for a gateway that is not configured answers 404", async () => {
    expect((await send("POST", "/notify/paypal", "{}")).status).toBe(404);
    expect((await send("POST", "/notify/%E0%A4%A", "{}")).status).toBeGreaterThanOrEqual(400);
  });
});

describe("any other route", () => {
  it.each([
    ["GET", "/orders"],
    ["GET", "/notify/upaas"],
    ["POST", "/orders/upaas-1"],
    ["GET", "/nowhere"],
  ] as const)("%s %s answers 404", async (method, path) => {
    expect((await send(method, path, method === "POST" ? "{}" : undefined)).status).toBe(404);
  });
});
