/**
 * Status tokens: an order's status is readable only with the token its creation returned.
 * Without it (missing, wrong, another order's, altered, signed with another secret) the answer
 * is byte for byte the one for an order that does not exist — so order numbers cannot be
 * probed, and nobody reads who paid what.
 */
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STATUS_TOKEN_HEADER } from "@paybridge/shared";
import { SANDBOX_CREDENTIALS } from "@paybridge/sandbox";
import { orderNumber, secretsOf, startHarness, type Harness, type HttpAnswer } from "./support/harness.js";

let harness: Harness;
const orderNo = orderNumber("upaas", "token-a");
const otherOrderNo = orderNumber("upaas", "token-b");
/** A real order whose number is `orderNo` with a suffix: its status must not open with `orderNo`'s token. */
const suffixedOrderNo = `${orderNo}x`;
/** The answer for `orderNo` before the order existed: what every refusal must look like. */
let unknownAnswer: HttpAnswer;
let token: string;
let otherToken: string;

/** What a client can observe of an answer, minus what differs between any two responses. */
function observable(answer: HttpAnswer) {
  const { date: _date, connection: _connection, "keep-alive": _keepAlive, ...headers } = answer.headers;
  return { status: answer.status, headers, text: answer.text };
}

beforeAll(async () => {
  harness = await startHarness();
  unknownAnswer = await harness.status(orderNo, "some-token");
  ({ statusToken: token } = await harness.createOrder("upaas", orderNo));
  ({ statusToken: otherToken } = await harness.createOrder("upaas", otherOrderNo));
  await harness.createOrder("upaas", suffixedOrderNo);
});

/** A GET of the status with the token in the x-paybridge-token header (what the client sends). */
async function statusWithHeader(path: string, token: string): Promise<HttpAnswer> {
  const response = await fetch(`${harness.payUrl}${path}`, { headers: { [STATUS_TOKEN_HEADER]: token } });
  const text = await response.text();
  harness.leaks.record(text);
  return { status: response.status, contentType: response.headers.get("content-type") ?? "", headers: Object.fromEntries(response.headers), text };
}

afterAll(async () => {
  await harness?.close();
  expect(harness.leaks.findSecrets(secretsOf(SANDBOX_CREDENTIALS))).toEqual([]);
});

describe("GET /orders/:orderNo", () => {
  it("answers an unknown order with 404 order_not_found", () => {
    expect(unknownAnswer.status).toBe(404);
    expect(JSON.parse(unknownAnswer.text)).toMatchObject({ error: { code: "order_not_found" } });
  });

  it("answers the order's status with the token its creation returned (control)", async () => {
    const answer = await harness.status(orderNo, token);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ orderNo, status: "pending", amountFen: expect.any(Number) });
  });

  const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === "A" ? "B" : "A") + text.slice(at + 1);
  const refusals: Array<[string, () => string]> = [
    ["no token", () => `/orders/${orderNo}`],
    ["an empty token", () => `/orders/${orderNo}?token=`],
    ["another order's token", () => `/orders/${orderNo}?token=${otherToken}`],
    ["its token with the first character changed", () => `/orders/${orderNo}?token=${flip(token, 0)}`],
    ["its token with the last character changed", () => `/orders/${orderNo}?token=${flip(token, token.length - 1)}`],
    ["its token cut short", () => `/orders/${orderNo}?token=${token.slice(0, -1)}`],
    ["its token with a character added", () => `/orders/${orderNo}?token=${token}A`],
    ["its token upper-cased", () => `/orders/${orderNo}?token=${token.toUpperCase()}`],
    ["its token twice (an array)", () => `/orders/${orderNo}?token=${token}&token=${token}`],
    ["its token as token[]", () => `/orders/${orderNo}?token[]=${token}`],
    ["its token in another parameter", () => `/orders/${orderNo}?statusToken=${token}`],
    [
      "a token made the same way with another secret",
      () => `/orders/${orderNo}?token=${createHmac("sha256", "another-secret-0123456789abcdef0123").update(orderNo).digest("base64url")}`,
    ],
    ["the token of the order's number without its suffix (a real order)", () => `/orders/${suffixedOrderNo}?token=${token}`],
  ];

  it.each(refusals)("with %s answers exactly as for an order that does not exist", async (_case, path) => {
    const answer = await harness.request("GET", path());
    expect(observable(answer)).toEqual(observable(unknownAnswer));
  });

  it("answers the order's status with its token in the x-paybridge-token header (control)", async () => {
    const answer = await statusWithHeader(`/orders/${orderNo}`, token);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ orderNo, status: "pending" });
  });

  const headerRefusals: Array<[string, () => [string, string]]> = [
    ["another order's token", () => [`/orders/${orderNo}`, otherToken]],
    ["its token with the last character changed", () => [`/orders/${orderNo}`, flip(token, token.length - 1)]],
    ["its token without its expiry", () => [`/orders/${orderNo}`, token.slice(token.indexOf(".") + 1)]],
    ["its token with a later expiry", () => [`/orders/${orderNo}`, `9${token}`]],
    ["the token of the order's number without its suffix (a real order)", () => [`/orders/${suffixedOrderNo}`, token]],
  ];

  it.each(headerRefusals)("with %s in the header answers exactly as for an order that does not exist", async (_case, request) => {
    const [path, headerToken] = request();
    const answer = await statusWithHeader(path, headerToken);
    const unknown = await statusWithHeader(`/orders/${encodeURIComponent(orderNumber("upaas", "token-none"))}`, headerToken);
    expect(unknown.status).toBe(404);
    expect(observable(answer)).toEqual(observable(unknown));
  });

  it("still refuses without the token once the order is paid", async () => {
    const paidOrderNo = orderNumber("upaas", "token-paid");
    const before = await harness.status(paidOrderNo, "x");
    const created = await harness.createOrder("upaas", paidOrderNo);
    const notify = await harness.captureNotify("upaas", created.gatewayOrderNo as string);
    await harness.postNotify("upaas", notify.body);
    expect(JSON.parse((await harness.status(paidOrderNo, created.statusToken)).text)).toMatchObject({ status: "paid" });

    expect(observable(await harness.status(paidOrderNo, undefined))).toEqual(observable(before));
    expect(observable(await harness.status(paidOrderNo, token))).toEqual(observable(before));
  });
});
