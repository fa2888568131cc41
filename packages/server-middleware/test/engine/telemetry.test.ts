/**
 * Metrics and traces an operator reads, with an OpenTelemetry SDK registered the way an
 * application registers it (before the router is built), over real flows through the router:
 * create, a paid notify, refused notifies, onPaid throwing, refunds, gateway failures.
 */
import { createServer, type Server } from "node:http";
import type { Socket } from "node:net";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fakeGateway, startHarness, type Harness } from "../support/fake-adapter.js";
import { refundGateway } from "../support/refund-gateway.js";
import { installTelemetry, type InstalledTelemetry } from "../support/telemetry.js";
import packageJson from "../../package.json" with { type: "json" };

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

const CALL = "paybridge.gateway.calls";
const DURATION = "paybridge.gateway.call.duration";

describe("with an OpenTelemetry SDK registered", () => {
  it("counts a created order and its gateway call, with a client span; then a paid notify, time to paid and onPaid", async () => {
    const h = (harness = await startHarness());
    await h.api.post("/pay/orders").send({ orderNo: "T1", channel: "alipay" }).expect(201);
    expect(await otel.counter("paybridge.orders.created", { gateway: "fake", channel: "alipay" })).toBe(1);
    expect(await otel.counter(CALL, { gateway: "fake", operation: "create", outcome: "ok" })).toBe(1);
    expect((await otel.histogram(DURATION, { gateway: "fake", operation: "create", outcome: "ok" })).count).toBe(1);

    const [span] = otel.spans();
    expect(span).toMatchObject({
      name: "paybridge.gateway.create",
      kind: SpanKind.CLIENT,
      attributes: { "paybridge.gateway": "fake", "paybridge.gateway.operation": "create", "paybridge.order_no": "T1" },
      status: { code: SpanStatusCode.UNSET },
    });
    expect(span?.instrumentationScope).toEqual({ name: "@paybridge/server-middleware", version: packageJson.version, schemaUrl: undefined });

    await h.api.post("/pay/notify/fake").type("json").send(h.gateway.notify({ orderNo: "T1", amountFen: 100 })).expect(200, "SUCCESS");
    // The gateway's retry: accepted again, but the order was paid once and onPaid ran once.
    await h.api.post("/pay/notify/fake").type("json").send(h.gateway.notify({ orderNo: "T1", amountFen: 100 })).expect(200, "SUCCESS");
    expect(await otel.counter("paybridge.notifies", { gateway: "fake", outcome: "accepted" })).toBe(2);
    expect(await otel.counter("paybridge.orders.paid", { gateway: "fake", channel: "alipay" })).toBe(1);
    const timeToPaid = await otel.histogram("paybridge.order.time_to_paid", {});
    expect(timeToPaid.count).toBe(1);
    expect(timeToPaid.sum).toBeGreaterThanOrEqual(0);
    expect(timeToPaid.sum).toBeLessThan(20);
    expect(await otel.counter("paybridge.on_paid.runs", { gateway: "fake" })).toBe(1);
    expect(await otel.counter("paybridge.on_paid.failures", { gateway: "fake" })).toBe(0);
  });

  it("names each instrument in OpenTelemetry's style, with UCUM units, under this package's scope", async () => {
    const h = (harness = await startHarness({ gateway: refundGateway() }));
    await h.api.post("/pay/orders").send({ orderNo: "N1" }).expect(201);
    await h.api.post("/pay/notify/fake").type("json").send(h.gateway.notify({ orderNo: "N1", amountFen: 100 })).expect(200);
    await h.router.refund({ orderNo: "N1", refundNo: "N1-r" });
    await h.api.post("/pay/notify/fake").type("json").send(h.gateway.forgedNotify({ orderNo: "N1", amountFen: 100 })).expect(400);
    const units = Object.fromEntries([...(await otel.collect()).values()].map((metric) => [metric.descriptor.name, metric.descriptor.unit]));
    expect(units).toEqual({
      "paybridge.orders.created": "{order}",
      "paybridge.orders.paid": "{order}",
      "paybridge.order.time_to_paid": "s",
      "paybridge.notifies": "{notify}",
      "paybridge.on_paid.runs": "{run}",
      "paybridge.gateway.calls": "{call}",
      "paybridge.gateway.call.duration": "s",
      "paybridge.refunds": "{refund}",
    });
    for (const metric of (await otel.collect()).values()) expect(metric.scope).toMatchObject({ name: "@paybridge/server-middleware", version: packageJson.version });
  });

  it("counts refused notifies by a fixed reason, never the refusal's text", async () => {
    const h = (harness = await startHarness({ bodyLimit: 512 }));
    await h.api.post("/pay/orders").send({ orderNo: "R1" }).expect(201);
    const post = (body: string) => h.api.post("/pay/notify/fake").type("json").send(body);
    await post(h.gateway.forgedNotify({ orderNo: "R1", amountFen: 100 })).expect(400);
    await post(h.gateway.notify({ orderNo: "NOSUCH", amountFen: 100 })).expect(400);
    await post(h.gateway.notify({ orderNo: "R1", amountFen: 99 })).expect(400);
    await post("not json at all").expect(400);
    await post(JSON.stringify({ padding: "x".repeat(600) })).expect(400);
    await h.api.post("/pay/notify/fake").set("content-encoding", "gzip").type("json").send("{}").expect(400);
    const refused = (reason: string) => otel.counter("paybridge.notifies", { gateway: "fake", outcome: "refused", reason });
    expect(await refused("signature")).toBe(1);
    expect(await refused("unknown_order")).toBe(1);
    expect(await refused("amount_mismatch")).toBe(1);
    expect(await refused("invalid")).toBe(1);
    expect(await refused("body_too_large")).toBe(1);
    expect(await refused("body_encoded")).toBe(1);
    const reasons = (await otel.attributeSets("paybridge.notifies")).map((attributes) => attributes.reason);
    expect(reasons).toHaveLength(6);
    expect(await otel.counter("paybridge.notifies", { gateway: "fake", outcome: "accepted" })).toBe(0);
  });

  it("counts onPaid runs and failures: a throw, then the gateway's retry that succeeds", async () => {
    let calls = 0;
    const h = (harness = await startHarness({
      onPaidImpl: () => {
        calls += 1;
        if (calls === 1) throw new Error("fulfilment down");
      },
    }));
    await h.api.post("/pay/orders").send({ orderNo: "P1" }).expect(201);
    const notify = h.gateway.notify({ orderNo: "P1", amountFen: 100 });
    await h.api.post("/pay/notify/fake").type("json").send(notify).expect(500);
    expect(await otel.counter("paybridge.on_paid.runs", { gateway: "fake" })).toBe(1);
    expect(await otel.counter("paybridge.on_paid.failures", { gateway: "fake" })).toBe(1);
    await h.api.post("/pay/notify/fake").type("json").send(notify).expect(200, "SUCCESS");
    expect(await otel.counter("paybridge.on_paid.runs", { gateway: "fake" })).toBe(2);
    expect(await otel.counter("paybridge.on_paid.failures", { gateway: "fake" })).toBe(1);
    // Paid once, however often onPaid had to run.
    expect(await otel.counter("paybridge.orders.paid", { gateway: "fake", channel: "wechat" })).toBe(1);
  });

  it("counts an onPaid that throws synchronously as a failed run", async () => {
    const h = (harness = await startHarness({
      onPaid: () => {
        throw new Error("fulfilment down");
      },
    }));
    await h.api.post("/pay/orders").send({ orderNo: "P2" }).expect(201);
    await h.api.post("/pay/notify/fake").type("json").send(h.gateway.notify({ orderNo: "P2", amountFen: 100 })).expect(500);
    expect(await otel.counter("paybridge.on_paid.runs", { gateway: "fake" })).toBe(1);
    expect(await otel.counter("paybridge.on_paid.failures", { gateway: "fake" })).toBe(1);
  });

  it("adds up the counts of several routers in one process, each counted once", async () => {
    const first = (harness = await startHarness());
    const second = await startHarness({ host: "web" });
    try {
      await first.api.post("/pay/orders").send({ orderNo: "S1" }).expect(201);
      await second.api.post("/pay/orders").send({ orderNo: "S2" }).expect(201);
      await second.api.post("/pay/orders").send({ orderNo: "S3" }).expect(201);
      expect(await otel.counter("paybridge.orders.created", { gateway: "fake", channel: "wechat" })).toBe(3);
      expect(await otel.counter(CALL, { gateway: "fake", operation: "create", outcome: "ok" })).toBe(3);
      expect((await otel.histogram(DURATION, { gateway: "fake", operation: "create", outcome: "ok" })).count).toBe(3);
    } finally {
      await second.close();
    }
  });

  it("counts refund outcomes and the refund calls, a timeout as processing and as a timed-out call", async () => {
    const gateway = refundGateway();
    const h = (harness = await startHarness({ gateway }));
    await h.api.post("/pay/orders").send({ orderNo: "F1" }).expect(201);
    await h.api.post("/pay/notify/fake").type("json").send(gateway.notify({ orderNo: "F1", amountFen: 100 })).expect(200);

    await h.router.refund({ orderNo: "F1", refundNo: "F1-a", amountFen: 10 });
    gateway.script.push({ status: "failed", refundNo: "F1-b", failure: "NOT_ENOUGH_BALANCE" });
    await h.router.refund({ orderNo: "F1", refundNo: "F1-b", amountFen: 10 });
    gateway.script.push("timeout");
    await expect(h.router.refund({ orderNo: "F1", refundNo: "F1-c", amountFen: 10 })).rejects.toMatchObject({ code: "gateway_timeout" });
    // The refund notify settles the timed-out one: succeeded, counted once more, and the notify accepted.
    await h.api.post("/pay/notify/fake").type("json").send(gateway.refundNotify({ orderNo: "F1", refundNo: "F1-c", amountFen: 10 })).expect(200);

    const refunds = (outcome: string) => otel.counter("paybridge.refunds", { gateway: "fake", outcome });
    expect(await refunds("succeeded")).toBe(2);
    expect(await refunds("failed")).toBe(1);
    expect(await refunds("processing")).toBe(1);
    expect(await otel.counter(CALL, { gateway: "fake", operation: "refund", outcome: "ok" })).toBe(2);
    expect(await otel.counter(CALL, { gateway: "fake", operation: "refund", outcome: "timeout" })).toBe(1);
    expect(await otel.counter("paybridge.notifies", { gateway: "fake", outcome: "accepted" })).toBe(2);
    const timedOut = otel.spans().find((span) => span.name === "paybridge.gateway.refund" && span.status.code === SpanStatusCode.ERROR);
    expect(timedOut?.attributes).toMatchObject({ "error.type": "gateway_timeout", "paybridge.order_no": "F1" });
  });

  it("marks a refused gateway call an error, with its code and none of the gateway's text", async () => {
    const h = (harness = await startHarness());
    h.gateway.failNextCreate("商户号不存在 key=leaked-secret-value");
    await h.api.post("/pay/orders").send({ orderNo: "G1" }).expect(502);
    expect(await otel.counter(CALL, { gateway: "fake", operation: "create", outcome: "error" })).toBe(1);
    expect(await otel.counter("paybridge.orders.created", { gateway: "fake", channel: "wechat" })).toBe(0);
    const [span] = otel.spans();
    expect(span).toMatchObject({ name: "paybridge.gateway.create", status: { code: SpanStatusCode.ERROR, message: "gateway_error" }, attributes: { "error.type": "gateway_error" } });
    expect(span?.events).toEqual([]);
    const everything = JSON.stringify({ spans: otel.spans().map(({ attributes, status, events, name }) => ({ attributes, status, events, name })), metrics: [...(await otel.collect()).values()] });
    expect(everything).not.toContain("商户号");
    expect(everything).not.toContain("leaked-secret-value");
  });

  it("records a gateway that does not answer in time as a timeout, with its duration", async () => {
    const sockets = new Set<Socket>();
    // Accepts connections and never answers.
    const silent: Server = createServer();
    silent.on("connection", (socket: Socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const address = silent.address();
    const port = typeof address === "object" && address ? address.port : 0;
    try {
      const h = (harness = await startHarness({ gateway: fakeGateway({ endpoint: `http://127.0.0.1:${port}/create` }), timeoutMs: 150 }));
      await h.api.post("/pay/orders").send({ orderNo: "T2" }).expect(504);
      const duration = await otel.histogram(DURATION, { gateway: "fake", operation: "create", outcome: "timeout" });
      expect(duration.count).toBe(1);
      expect(duration.sum).toBeGreaterThanOrEqual(0.14);
      expect(otel.spans()[0]).toMatchObject({ status: { code: SpanStatusCode.ERROR, message: "gateway_timeout" } });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("traces the status route's query and a close at the gateway under their operations", async () => {
    const gateway = refundGateway();
    const h = (harness = await startHarness({ gateway, queryIntervalMs: 1 }));
    const created = await h.api.post("/pay/orders").send({ orderNo: "Q1" }).expect(201);
    await h.api.get("/pay/orders/Q1").query({ token: created.body.statusToken as string }).expect(200);
    await h.router.close("Q1");
    expect(await otel.counter(CALL, { gateway: "fake", operation: "query", outcome: "ok" })).toBe(1);
    expect(await otel.counter(CALL, { gateway: "fake", operation: "close", outcome: "ok" })).toBe(1);
    expect(otel.spans().map((span) => span.name)).toEqual(["paybridge.gateway.create", "paybridge.gateway.query", "paybridge.gateway.close"]);
  });
});
