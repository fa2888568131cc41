/**
 * Which requests are paybridge's, by method and mount-relative path: the three routes of the
 * contract, matched as Express matches by default (case-insensitive, one optional trailing
 * slash, no extra segments); anything else is left to the host (the core answers nothing).
 */
import { describe, expect, it } from "vitest";
import type { CoreRequest } from "../../src/http/core.js";
import { PaybridgeHttp } from "../../src/http/core.js";
import { fakeGateway, STATUS_TOKEN_SECRET } from "../support/fake-adapter.js";

const core = new PaybridgeHttp<null>({
  gateways: [fakeGateway().adapter],
  routing: { wechat: "fake" },
  publicUrl: "https://shop.example/pay",
  statusTokenSecret: STATUS_TOKEN_SECRET,
  resolveOrder: () => null,
  onPaid: () => {},
  logger: { info: () => {}, warn: () => {}, error: () => {} },
});

function request(method: string, path: string): CoreRequest<null> {
  const bytes = Buffer.from("{}");
  return {
    method,
    path,
    query: "",
    header: (name) => (name === "content-type" ? "application/json" : undefined),
    headers: () => ({ "content-type": "application/json" }),
    body: { read: () => Promise.resolve({ bytes }), discard: () => {} },
    native: null,
  };
}

/** Which route answered: each answers this empty request in its own way. */
async function routeOf(method: string, path: string): Promise<string> {
  const answer = await core.handle(request(method, path));
  if (answer === undefined) return "none";
  if (answer.status === 400 && answer.body.includes('"field":"orderNo"')) return "create";
  if (answer.status === 404 && answer.body.includes('"code":"order_not_found"')) return "status";
  if (answer.status === 404 && answer.body === "unknown gateway") return "notify";
  return `unexpected ${answer.status} ${answer.body}`;
}

describe("the routes paybridge answers", () => {
  it.each([
    ["POST", "/orders", "create"],
    ["POST", "/orders/", "create"],
    ["POST", "/ORDERS", "create"],
    ["POST", "/Orders/", "create"],
    ["GET", "/orders/A1", "status"],
    ["GET", "/orders/A1/", "status"],
    ["HEAD", "/orders/A1", "status"],
    ["GET", "/ORDERS/A1", "status"],
    ["POST", "/notify/nope", "notify"],
    ["POST", "/notify/nope/", "notify"],
    ["POST", "/Notify/nope", "notify"],
    ["GET", "/orders", "none"],
    ["GET", "/orders/", "none"],
    ["POST", "/orders//", "none"],
    ["POST", "/orders/A1", "none"],
    ["PUT", "/orders", "none"],
    ["GET", "/orders/A1/B", "none"],
    ["GET", "/orders//A1", "none"],
    ["POST", "/notify", "none"],
    ["POST", "/notify/", "none"],
    ["POST", "/notify/a/b", "none"],
    ["POST", "//orders", "none"],
    ["POST", "orders", "none"],
    ["POST", "/", "none"],
    ["POST", "", "none"],
  ])("%s %s → %s", async (method, path, route) => {
    expect(await routeOf(method, path)).toBe(route);
  });
});
