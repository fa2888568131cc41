/**
 * The demo's operations routes: Prometheus `/metrics` (the OpenTelemetry Prometheus exporter
 * on the demo's own port) counts a paid sandbox order, and `/healthz` answers the health report.
 */
import { afterEach, describe, expect, it } from "vitest";
import { startDemo } from "../demo.mjs";
import middleware from "../../../packages/server-middleware/package.json" with { type: "json" };

type RunningDemo = Awaited<ReturnType<typeof startDemo>>;
let demo: RunningDemo | undefined;
afterEach(async () => {
  await demo?.close();
  demo = undefined;
});

const postJson = async (url: string, body: unknown) =>
  (await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })).json() as Promise<Record<string, unknown>>;

describe("demo operations", () => {
  it("serves Prometheus metrics for a paid order and a refused notify, and a health report", async () => {
    const printed: string[] = [];
    demo = await startDemo({ port: 0, gateway: "upaas", env: {}, printLine: (line) => printed.push(line), log: () => {} });
    const created = await postJson(`${demo.url}/pay/orders`, { orderNo: "OPS-150", channel: "wechat" });
    await postJson(`${demo.url}/sandbox/control/complete`, { gateway: "upaas", gatewayOrderNo: created.gatewayOrderNo, outcome: "paid" });
    await expect.poll(() => printed.length).toBe(1);
    expect((await fetch(`${demo.url}/pay/notify/upaas`, { method: "POST", body: "not a notify" })).status).toBeGreaterThanOrEqual(400);

    const response = await fetch(`${demo.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    const scope = `otel_scope_name="@paybridge/server-middleware",otel_scope_version="${middleware.version}"`;
    expect(text).toContain(`paybridge_orders_created_total{gateway="upaas",channel="wechat",${scope}} 1`);
    expect(text).toContain(`paybridge_orders_paid_total{gateway="upaas",channel="wechat",${scope}} 1`);
    expect(text).toContain(`paybridge_notifies_total{gateway="upaas",outcome="accepted",${scope}} 1`);
    expect(text).toMatch(/paybridge_notifies_total\{gateway="upaas",outcome="refused",reason="[a-z_]+",otel_scope_name/);
    expect(text).toContain(`paybridge_gateway_call_duration_count{gateway="upaas",operation="create",outcome="ok",${scope}} 1`);
    expect(text).toContain(`paybridge_order_time_to_paid_count{${scope}} 1`);

    const health = await fetch(`${demo.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, store: { ok: true, latencyMs: expect.any(Number) }, gateways: ["upaas"] });
  });
});
