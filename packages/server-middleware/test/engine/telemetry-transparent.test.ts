/**
 * The telemetry changes nothing a merchant sees. With no OpenTelemetry SDK registered (most
 * merchants) the engine runs as it did; with one, adapters are wrapped, and still answer with
 * their own errors (the very objects), called on themselves.
 */
import { metrics, trace } from "@opentelemetry/api";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import { GatewayError } from "../../src/errors.js";
import type { CreateOrderInput, CreatedOrder, GatewayAdapter, GatewayHttp } from "../../src/gateways/contract.js";
import { fakeGateway, startHarness, type Harness } from "../support/fake-adapter.js";
import { refundGateway } from "../support/refund-gateway.js";
import { installTelemetry } from "../support/telemetry.js";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("with no OpenTelemetry SDK registered", () => {
  it("is the API's no-op", () => {
    expect(trace.getTracer("probe").startSpan("probe").isRecording()).toBe(false);
    expect(metrics.getMeterProvider().constructor.name).toBe("NoopMeterProvider");
  });

  it("creates, pays, refuses, reruns a throwing onPaid, refunds and times out as always", async () => {
    let calls = 0;
    const gateway = refundGateway();
    const h = (harness = await startHarness({
      gateway,
      onPaidImpl: () => {
        calls += 1;
        if (calls === 1) throw new Error("fulfilment down");
      },
    }));
    await h.api.post("/pay/orders").send({ orderNo: "O1" }).expect(201);
    await h.api.post("/pay/notify/fake").type("json").send(gateway.forgedNotify({ orderNo: "O1", amountFen: 100 })).expect(400, "FAIL");
    const notify = gateway.notify({ orderNo: "O1", amountFen: 100 });
    await h.api.post("/pay/notify/fake").type("json").send(notify).expect(500);
    await h.api.post("/pay/notify/fake").type("json").send(notify).expect(200, "SUCCESS");
    expect(h.paid.map((payment) => payment.orderNo)).toEqual(["O1", "O1"]);
    expect(await h.router.refund({ orderNo: "O1", refundNo: "O1-a", amountFen: 10 })).toMatchObject({ status: "succeeded", fulfilled: true });
    gateway.script.push("timeout");
    await expect(h.router.refund({ orderNo: "O1", refundNo: "O1-b", amountFen: 10 })).rejects.toMatchObject({ code: "gateway_timeout" });
    expect((await h.router.store.get("O1"))?.refunds?.map((entry) => entry.status)).toEqual(["succeeded", "processing"]);
  });

});

describe("an adapter under telemetry", () => {
  it.each(["no SDK", "an SDK"])("with %s, hands the adapter's own error and answer through, and calls it on itself", async (sdk) => {
    const otel = sdk === "an SDK" ? installTelemetry() : undefined;
    onTestFinished(() => otel?.uninstall());
    const refusal = new GatewayError("classy", "refused");
    /** An adapter written as a class with a private field: `this` must be the instance. */
    class ClassyAdapter implements GatewayAdapter {
      readonly id = "classy";
      readonly supports = { wechat: ["jsapi"] } as const;
      readonly notifyReply = fakeGateway().adapter.notifyReply;
      readonly #prefix = "CL-";
      refuseNext = false;
      async createOrder(input: CreateOrderInput, _http: GatewayHttp): Promise<CreatedOrder> {
        if (this.refuseNext) throw refusal;
        return { gatewayOrderNo: `${this.#prefix}${input.orderNo}`, action: { type: "redirect", url: "https://pay.example/x" } };
      }
      verifyNotify(): never {
        throw new GatewayError("classy", `no notifies for ${this.#prefix}`);
      }
    }
    const adapter = new ClassyAdapter();
    const errors: unknown[] = [];
    const h = (harness = await startHarness({ gateways: [adapter], routing: { wechat: "classy" } }));
    h.router.events.on("gateway.error", ({ error }) => errors.push(error));
    const created = await h.api.post("/pay/orders").send({ orderNo: "K1" }).expect(201);
    expect(created.body.gatewayOrderNo).toBe("CL-K1");
    adapter.refuseNext = true;
    await h.api.post("/pay/orders").send({ orderNo: "K2" }).expect(502);
    expect(errors).toEqual([refusal]);
    expect(errors[0]).toBe(refusal);
    if (otel) expect(await otel.counter("paybridge.gateway.calls", { gateway: "classy", operation: "create", outcome: "error" })).toBe(1);
  });
});
