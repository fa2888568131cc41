/**
 * What bounds the telemetry's attributes: a refusal's reason is one of a fixed set whatever
 * the refusal's text, and the scope's version is the package's.
 */
import { readFile } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { INSTRUMENTATION_SCOPE, refusalReason } from "../../src/engine/telemetry.js";
import { RAW_BODY_REQUIRED } from "../../src/http/core.js";
import { fakeGateway, startHarness, type Harness } from "../support/fake-adapter.js";
import { refundGateway } from "../support/refund-gateway.js";
import { installTelemetry, type InstalledTelemetry } from "../support/telemetry.js";

let otel: InstalledTelemetry;
let harness: Harness | undefined;
beforeEach(() => {
  otel = installTelemetry();
});
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await otel.uninstall();
});

const refused = (gateway: string, reason: string) => otel.counter("paybridge.notifies", { gateway, outcome: "refused", reason });

describe("notify refusal reasons", () => {
  it("a notify for another gateway's order is wrong_gateway, counted under the gateway it came to", async () => {
    const other = fakeGateway({ id: "other" });
    const h = (harness = await startHarness({ gateways: [fakeGateway().adapter, other.adapter] }));
    await h.api.post("/pay/orders").send({ orderNo: "W1" }).expect(201);
    await h.api.post("/pay/notify/other").type("json").send(other.notify({ orderNo: "W1", amountFen: 100 })).expect(400);
    expect(await refused("other", "wrong_gateway")).toBe(1);
  });

  it("a refund notify for no refund of the order is unknown_refund; a forged one is signature", async () => {
    const gateway = refundGateway();
    const h = (harness = await startHarness({ gateway }));
    await h.api.post("/pay/orders").send({ orderNo: "U1" }).expect(201);
    await h.api.post("/pay/notify/fake").type("json").send(gateway.notify({ orderNo: "U1", amountFen: 100 })).expect(200);
    await h.api.post("/pay/notify/fake").type("json").send(gateway.refundNotify({ orderNo: "U1", refundNo: "nope", amountFen: 1 })).expect(400);
    await h.api.post("/pay/notify/fake").type("json").send(gateway.forgedRefundNotify({ orderNo: "U1", refundNo: "nope", amountFen: 1 })).expect(400);
    expect(await refused("fake", "unknown_refund")).toBe(1);
    expect(await refused("fake", "signature")).toBe(1);
  });

  it.each([
    ["unknown order", "unknown_order"],
    ["order belongs to gateway fubei", "wrong_gateway"],
    ["amount does not match the order", "amount_mismatch"],
    ["amount does not match the refund", "amount_mismatch"],
    ["unknown refund", "unknown_refund"],
    ["unreadable notify", "unreadable"],
    ["unreadable refund notify", "unreadable"],
    ["body could not be read", "unreadable"],
    ["body is larger than the limit", "body_too_large"],
    ["body must not be encoded (Content-Encoding)", "body_encoded"],
    [RAW_BODY_REQUIRED, "raw_body_required"],
    ["xiangma notify signature does not verify", "signature"],
    ["notify lacks out_trade_no", "invalid"],
    ["mch_no 9999 is not this merchant's; key=abc", "invalid"],
  ])("%j is %s", (text, reason) => {
    expect(refusalReason(text)).toBe(reason);
  });
});

describe("the instrumentation scope", () => {
  it("is this package's name and version", async () => {
    const manifest = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8")) as { name: string; version: string };
    expect(INSTRUMENTATION_SCOPE).toEqual({ name: manifest.name, version: manifest.version });
  });
});
