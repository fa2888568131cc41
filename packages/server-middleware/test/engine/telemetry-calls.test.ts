/**
 * Gateway calls' metrics and spans are resolved once per gateway operation when the adapter is
 * instrumented (src/engine/telemetry-calls.ts): with two gateways in one engine, each call still
 * lands on its own gateway's, operation's and outcome's series, and its span names its gateway
 * and its order.
 */
import { SpanStatusCode } from "@opentelemetry/api";
import { afterEach, beforeEach, expect, it } from "vitest";
import { fakeGateway, startHarness, type Harness } from "../support/fake-adapter.js";
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

it("counts, times and traces each call under its own gateway, operation and outcome", async () => {
  const north = fakeGateway({ id: "north" });
  const south = fakeGateway({ id: "south" });
  const h = (harness = await startHarness({ gateway: north, gateways: [north.adapter, south.adapter], routing: { wechat: "north", alipay: "south" } }));
  await h.api.post("/pay/orders").send({ orderNo: "N1", channel: "wechat" }).expect(201);
  south.failNextCreate("refused");
  await h.api.post("/pay/orders").send({ orderNo: "S1", channel: "alipay" }).expect(502);
  await h.api.post("/pay/orders").send({ orderNo: "N2", channel: "wechat" }).expect(201);
  await h.api.post("/pay/orders").send({ orderNo: "S2", channel: "alipay" }).expect(201);

  const calls = (gateway: string, outcome: string) => otel.counter("paybridge.gateway.calls", { gateway, operation: "create", outcome });
  const durations = async (gateway: string, outcome: string) => (await otel.histogram("paybridge.gateway.call.duration", { gateway, operation: "create", outcome })).count;
  expect([await calls("north", "ok"), await calls("north", "error"), await calls("south", "ok"), await calls("south", "error")]).toEqual([2, 0, 1, 1]);
  expect([await durations("north", "ok"), await durations("south", "ok"), await durations("south", "error")]).toEqual([2, 1, 1]);

  const spans = otel.spans().map((span) => ({ name: span.name, attributes: span.attributes, status: span.status.code }));
  const create = (gateway: string, orderNo: string) => ({ "paybridge.gateway": gateway, "paybridge.gateway.operation": "create", "paybridge.order_no": orderNo });
  expect(spans).toEqual([
    { name: "paybridge.gateway.create", attributes: create("north", "N1"), status: SpanStatusCode.UNSET },
    { name: "paybridge.gateway.create", attributes: { ...create("south", "S1"), "error.type": "gateway_error" }, status: SpanStatusCode.ERROR },
    { name: "paybridge.gateway.create", attributes: create("north", "N2"), status: SpanStatusCode.UNSET },
    { name: "paybridge.gateway.create", attributes: create("south", "S2"), status: SpanStatusCode.UNSET },
  ]);
});
