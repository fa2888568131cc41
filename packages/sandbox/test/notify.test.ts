import { once } from "node:events";
import { describe, expect, it } from "vitest";
import type { NotifySentEvent } from "@paybridge/sandbox";
import { complete, nextEvent, startNotifyReceiver, startSandbox } from "./support.js";
import { isLoopbackUrl } from "../src/notifier.js";
import { DRIVERS, liankeCreate, LIANKE_RULE, signed } from "./requests.js";
import { SANDBOX_CREDENTIALS } from "@paybridge/sandbox";

describe.each(DRIVERS)("$gateway notify delivery", (driver) => {
  it("retries on a failure reply on the short schedule until acknowledged", async () => {
    const running = await startSandbox({ notifyRetryDelaysMs: [10, 20] });
    const receiver = await startNotifyReceiver([
      { status: 200, body: driver.failure },
      { status: 500, body: "" },
      { status: 200, body: driver.success },
    ]);
    const gatewayOrderNo = await driver.create(running, receiver.url);
    const acknowledged = nextEvent(running.sandbox, "notify.acknowledged");

    const first = await complete(running, { gateway: driver.gateway, gatewayOrderNo, outcome: "paid" });
    expect(first.json).toEqual({ delivered: false, attempts: 1, reply: driver.failure });
    const [event] = await acknowledged;
    expect(event).toEqual({ gateway: driver.gateway, gatewayOrderNo, attempts: 3 });
    expect(receiver.received).toHaveLength(3);
    // The same signed notify every time.
    expect(new Set(receiver.received.map((notify) => notify.body)).size).toBe(1);
  });

  it("gives up after the schedule", async () => {
    const running = await startSandbox({ notifyRetryDelaysMs: { [driver.gateway]: [10, 20] } });
    const receiver = await startNotifyReceiver([{ status: 200, body: driver.failure }]);
    const gatewayOrderNo = await driver.create(running, receiver.url);
    const gaveUp = nextEvent(running.sandbox, "notify.gave-up");
    const sent: NotifySentEvent[] = [];
    running.sandbox.events.on("notify.sent", (event) => sent.push(event));

    await complete(running, { gateway: driver.gateway, gatewayOrderNo, outcome: "paid" });
    const [event] = await gaveUp;
    expect(event.attempts).toBe(3);
    expect(receiver.received).toHaveLength(3);
    expect(sent.map((s) => [s.attempt, s.acknowledged, s.reply, s.nextRetryInMs])).toEqual([
      [1, false, driver.failure, 10],
      [2, false, driver.failure, 20],
      [3, false, driver.failure, undefined],
    ]);
  });
});

describe("default notify schedules", () => {
  it.each([
    // lianke's document: every 20 s (10 times), then every 30 min; the others follow WeChat Pay's 15 s start.
    ["lianke", 20_000],
    ["upaas", 15_000],
    ["fubei", 15_000],
  ])("%s waits %i ms before its first retry", async (gateway, firstDelay) => {
    const driver = DRIVERS.find((candidate) => candidate.gateway === gateway)!;
    const running = await startSandbox({});
    const receiver = await startNotifyReceiver([{ status: 200, body: driver.failure }]);
    const gatewayOrderNo = await driver.create(running, receiver.url);
    const sent = once(running.sandbox.events, "notify.sent") as Promise<[NotifySentEvent]>;
    await complete(running, { gateway, gatewayOrderNo, outcome: "paid" });
    expect((await sent)[0]).toMatchObject({ attempt: 1, acknowledged: false, nextRetryInMs: firstDelay });
  });
});

describe("control/complete", () => {
  it("retries after a connection error, and reports it", async () => {
    const running = await startSandbox({ notifyRetryDelaysMs: [10] });
    const gatewayOrderNo = await DRIVERS[0]!.create(running, "http://127.0.0.1:9/pay/notify/upaas");
    const gaveUp = nextEvent(running.sandbox, "notify.gave-up");
    const result = await complete(running, { gateway: "upaas", gatewayOrderNo, outcome: "paid" });
    expect(result.json).toEqual({ delivered: false, attempts: 1, reply: null });
    expect((await gaveUp)[0].attempts).toBe(2);
  });

  it("with notify: false completes silently: only the query tells", async () => {
    const running = await startSandbox();
    const receiver = await startNotifyReceiver([{ status: 200, body: "OK" }]);
    const { key, storeNo } = SANDBOX_CREDENTIALS.lianke;
    const request = liankeCreate({ notify_url: receiver.url });
    const created = (await running.post("/lianke/QuickPay/JSAPIPay", signed(request, LIANKE_RULE, key))).json.data as Record<string, unknown>;
    const result = await complete(running, { gateway: "lianke", gatewayOrderNo: created.transaction_no, outcome: "paid", notify: false });
    expect(result.json).toEqual({ delivered: false, attempts: 0, reply: null });
    expect(receiver.received).toHaveLength(0);
    const query = await running.post("/lianke/QuickPay/Query", signed({ store_no: storeNo, order_no: request.order_no }, LIANKE_RULE, key));
    expect((query.json.data as Record<string, unknown>).transaction_status).toBe("SUCCESS");
  });

  it("sends a failed outcome, re-sends on a repeat, and refuses to change a completed outcome", async () => {
    const running = await startSandbox();
    const receiver = await startNotifyReceiver([{ status: 200, body: "success" }]);
    const fubei = DRIVERS.find((driver) => driver.gateway === "fubei")!;
    const gatewayOrderNo = await fubei.create(running, receiver.url);
    expect((await complete(running, { gateway: "fubei", gatewayOrderNo, outcome: "failed" })).json.delivered).toBe(true);
    const data = JSON.parse(new URLSearchParams(receiver.received[0]?.body ?? "").get("data") ?? "") as Record<string, unknown>;
    expect(data.trade_state).toBe("REVOKED");
    expect((await complete(running, { gateway: "fubei", gatewayOrderNo, outcome: "failed" })).json.delivered).toBe(true);
    expect(receiver.received).toHaveLength(2);
    const conflict = await complete(running, { gateway: "fubei", gatewayOrderNo, outcome: "paid" });
    expect(conflict.status).toBe(409);
  });

  it("refuses unknown gateways, unknown orders and bad outcomes", async () => {
    const running = await startSandbox();
    expect((await complete(running, { gateway: "paypal", gatewayOrderNo: "1", outcome: "paid" })).json).toEqual({
      error: { message: "unknown gateway", field: "gateway" },
    });
    expect((await complete(running, { gateway: "upaas", gatewayOrderNo: "1", outcome: "paid" })).status).toBe(404);
    const gatewayOrderNo = await DRIVERS[0]!.create(running, "http://127.0.0.1:9/");
    const bad = await complete(running, { gateway: "upaas", gatewayOrderNo, outcome: "cancelled" });
    expect(bad.status).toBe(400);
    expect((bad.json.error as Record<string, unknown>).field).toBe("outcome");
  });

  it("sends notifies to loopback hosts only", async () => {
    const running = await startSandbox();
    const gatewayOrderNo = await DRIVERS[0]!.create(running, "http://pay.example.com/pay/notify/upaas");
    const refused = await complete(running, { gateway: "upaas", gatewayOrderNo, outcome: "paid" });
    expect(refused.status).toBe(403);
    expect((refused.json.error as Record<string, unknown>).field).toBe("notifyUrl");
    // Refused before anything changed: the order is still pending, so another outcome is accepted.
    const silent = await complete(running, { gateway: "upaas", gatewayOrderNo, outcome: "failed", notify: false });
    expect(silent.status).toBe(200);
  });

  it.each([
    ["http://127.0.0.1:3000/pay/notify/x", true],
    ["http://127.8.9.10/pay", true],
    ["http://localhost:3000/pay", true],
    ["http://[::1]:3000/pay", true],
    ["https://shop.example.com/pay", false],
    ["http://127.0.0.1.nip.io/pay", false],
    ["http://10.0.0.1/pay", false],
    ["not a url", false],
  ])("treats %s as loopback: %s", (url, loopback) => {
    expect(isLoopbackUrl(url)).toBe(loopback);
  });
});
