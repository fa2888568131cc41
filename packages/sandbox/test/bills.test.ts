/**
 * The sandbox's bills for orders really paid through it: the console CSV of every gateway (its
 * header checked against the adapter's preset, each written on its own), the switches over HTTP
 * and as an option, fubei's fetchBill and vbao's fetchBillFile against their simulators.
 */
import { describe, expect, it } from "vitest";
import type { Channel, Scene } from "@paybridge/shared";
import { createSandbox, sandboxAdapters, type BillMismatch, type SandboxGatewayId, type SandboxOptions } from "@paybridge/sandbox";
import { ConfigError, GatewayError, type BillRow, type GatewayAdapter } from "@paybridge/server-middleware";
// The adapters' own outbound HTTP client, as paybridge() gives it to them (not a public export).
import { createGatewayClient as createGatewayHttp } from "../../server-middleware/src/engine/gateway-client.js";
import { uniqueOrderNo } from "./requests.js";
import { complete, startSandbox, type RunningSandbox } from "./support.js";

const OPEN_ID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o";
const TODAY = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

interface Shop {
  running: RunningSandbox;
  adapter: GatewayAdapter;
  http: ReturnType<typeof createGatewayHttp>;
}

async function shop(gateway: SandboxGatewayId, options: SandboxOptions = { notifyRetryDelaysMs: [10] }): Promise<Shop> {
  const running = await startSandbox(options);
  const adapter = sandboxAdapters(running.url).find((candidate) => candidate.id === gateway)!;
  return { running, adapter, http: createGatewayHttp(gateway, 5_000) };
}

/** An order created through the adapter and, unless `pending`, paid at the sandbox (no notify). */
async function order({ running, adapter, http }: Shop, amountFen: number, outcome: "paid" | "pending" = "paid") {
  const [channel, scenes] = Object.entries(adapter.supports)[0]!;
  const orderNo = uniqueOrderNo();
  const input = { orderNo, amountFen, channel: channel as Channel, scene: scenes![0] as Scene, openId: OPEN_ID, appId: "wx7b54f0a5769316b9", notifyUrl: "http://127.0.0.1:9/n" };
  const created = await adapter.createOrder(input, http);
  if (outcome === "paid") await complete(running, { gateway: adapter.id, gatewayOrderNo: created.gatewayOrderNo, outcome: "paid", notify: false });
  return { orderNo, gatewayOrderNo: created.gatewayOrderNo };
}

/** The sandbox's CSV as records by header (the test's values hold no commas or quotes). */
async function csv(running: RunningSandbox, gateway: string, date = TODAY): Promise<{ header: string[]; records: Record<string, string>[] }> {
  const response = await fetch(`${running.url}/bills/${gateway}.csv?date=${date}`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
  const [header = [], ...lines] = (await response.text()).trimEnd().split("\r\n").map((line) => line.split(","));
  return { header, records: lines.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ""]))) };
}

async function rowsOf(bill: AsyncIterable<BillRow>): Promise<BillRow[]> {
  const rows: BillRow[] = [];
  for await (const row of bill) rows.push(row);
  return rows;
}

describe.each<SandboxGatewayId>(["upaas", "lianke", "xiangma", "fubei", "vbao"])("%s console CSV", (gateway) => {
  it("lists the day's paid orders and refunds in the columns and unit of the adapter's preset", async () => {
    const s = await shop(gateway);
    const paid = await order(s, 29);
    const pending = await order(s, 7, "pending");
    if (s.adapter.refundOrder) await s.adapter.refundOrder({ orderNo: paid.orderNo, gatewayOrderNo: paid.gatewayOrderNo, refundNo: uniqueOrderNo(), amountFen: 10, orderAmountFen: 29, notifyUrl: "http://127.0.0.1:9/n" }, s.http);
    const columns = s.adapter.billColumns!;
    const { header, records } = await csv(s.running, gateway);
    const named = [columns.orderNo, columns.gatewayOrderNo, columns.refundNo, columns.amount, columns.fee, columns.time, columns.kind?.column, columns.status?.column];
    expect(header).toEqual(expect.arrayContaining(named.filter((name): name is string => name !== undefined)));

    const unit = (fen: number) => (columns.amountUnit === "yuan" ? (fen / 100).toFixed(2) : String(fen));
    const isRefund = (record: Record<string, string>) => columns.kind !== undefined && columns.kind.refund.includes(record[columns.kind.column]!);
    const payments = records.filter((record) => !isRefund(record));
    expect(payments.map((record) => [record[columns.orderNo], record[columns.amount]])).toEqual([[paid.orderNo, unit(29)]]);
    expect(records.some((record) => record[columns.orderNo] === pending.orderNo)).toBe(false);
    if (columns.status) expect(columns.status.success).toContain(payments[0]![columns.status.column]);
    expect(records.filter(isRefund).map((record) => [record[columns.orderNo], record[columns.amount]])).toEqual(s.adapter.refundOrder ? [[paid.orderNo, unit(10)]] : []);
  });
});

describe("bill mismatch switches", () => {
  it("POST /control/bill-mismatch changes the CSV; kinds [] restores it; a bad request is refused", async () => {
    const s = await shop("xiangma");
    const first = await order(s, 100);
    await order(s, 200);
    const clean = (await csv(s.running, "xiangma")).records;
    expect(await s.running.post("/control/bill-mismatch", { gateway: "xiangma", kinds: ["drop-payment", "unknown-order"] })).toMatchObject({
      status: 200,
      json: { gateway: "xiangma", kinds: ["drop-payment", "unknown-order"] },
    });
    const changed = (await csv(s.running, "xiangma")).records.map((record) => record.pay_trace_no);
    expect(changed).not.toContain(first.orderNo);
    expect(changed).toContain(`SBX-UNKNOWN-${TODAY.replaceAll("-", "")}`);
    await s.running.post("/control/bill-mismatch", { gateway: "xiangma", kinds: [] });
    expect((await csv(s.running, "xiangma")).records).toEqual(clean);
    for (const body of [{ gateway: "nope", kinds: [] }, { gateway: "xiangma", kinds: ["lose-money"] }, { gateway: "xiangma" }]) {
      expect((await s.running.post("/control/bill-mismatch", body)).status).toBe(400);
    }
    expect((await fetch(`${s.running.url}/bills/xiangma.csv?date=2025-13-01`)).status).toBe(400);
    expect((await fetch(`${s.running.url}/bills/paypal.csv?date=${TODAY}`)).status).toBe(404);
  });

  it("takes the switches as an option of the programmatic sandbox", async () => {
    const s = await shop("vbao", { notifyRetryDelaysMs: [10], billMismatches: { vbao: ["change-amount" satisfies BillMismatch] } });
    const paid = await order(s, 100);
    expect((await csv(s.running, "vbao")).records.map((record) => [record.orderNo, record.orderAmount])).toEqual([[paid.orderNo, "99"]]);
    for (const billMismatches of [{ vbao: ["lose-money"] }, { paypal: ["drop-payment"] }, { vbao: "drop-payment" }]) {
      expect(() => createSandbox({ billMismatches } as SandboxOptions), JSON.stringify(billMismatches)).toThrow(ConfigError);
    }
  });
});

describe("fubei fetchBill × sandbox", () => {
  it("reads the day's orders from the reconciliation method: paid ones exactly, unpaid ones as failed", async () => {
    const s = await shop("fubei");
    const paid = await order(s, 29);
    const pending = await order(s, 115, "pending");
    const rows = await rowsOf(s.adapter.fetchBill!({ date: TODAY }, s.http));
    expect(rows.map((row) => [row.orderNo, row.gatewayOrderNo, row.amountFen, row.status, row.kind])).toEqual([
      [paid.orderNo, paid.gatewayOrderNo, 29, "success", "payment"],
      [pending.orderNo, pending.gatewayOrderNo, 115, "failed", "payment"],
    ]);
    expect(Math.abs(rows[0]!.at - Date.now())).toBeLessThan(60_000);
  });

  it("carries the switches through the API (mark-failed), and an empty day is no rows", async () => {
    const s = await shop("fubei", { notifyRetryDelaysMs: [10], billMismatches: { fubei: ["mark-failed"] } });
    const paid = await order(s, 50);
    expect((await rowsOf(s.adapter.fetchBill!({ date: TODAY }, s.http))).map((row) => [row.orderNo, row.status])).toEqual([[paid.orderNo, "failed"]]);
    expect(await rowsOf(s.adapter.fetchBill!({ date: "2020-01-01" }, s.http))).toEqual([]);
  });

  it("pages past 100 orders, and a page that fails midway throws after the first page's rows", async () => {
    const s = await shop("fubei");
    for (let i = 0; i < 101; i += 1) await order(s, i + 1, i % 2 === 0 ? "paid" : "pending");
    const rows = await rowsOf(s.adapter.fetchBill!({ date: TODAY }, s.http));
    expect(rows).toHaveLength(101);
    expect(new Set(rows.map((row) => row.orderNo)).size).toBe(101);

    const read: BillRow[] = [];
    const failing = (async () => {
      for await (const row of s.adapter.fetchBill!({ date: TODAY }, s.http)) {
        // The first page is in hand: the next call (page 2) answers HTTP 500.
        if (read.push(row) === 1) await s.running.post("/control/fault", { gateway: "fubei", kind: "http-500" });
      }
    })();
    await expect(failing).rejects.toBeInstanceOf(GatewayError);
    expect(read).toHaveLength(100);
  });
});

describe("vbao fetchBillFile × sandbox", () => {
  it("downloads the day's file from billDownload in the columns the adapter hands the reader", async () => {
    const s = await shop("vbao");
    const paid = await order(s, 29);
    const refundNo = uniqueOrderNo();
    await s.adapter.refundOrder!({ orderNo: paid.orderNo, gatewayOrderNo: paid.gatewayOrderNo, refundNo, amountFen: 9, orderAmountFen: 29, notifyUrl: "http://127.0.0.1:9/n" }, s.http);
    const file = await s.adapter.fetchBillFile!({ date: TODAY }, s.http);
    const [header, ...lines] = new TextDecoder().decode(file.body).trimEnd().split("\r\n").map((line) => line.split(","));
    const at = (name: string) => header!.indexOf(name);
    expect(file.columns).toBe(s.adapter.billColumns);
    expect(lines.map((cells) => [cells[at(file.columns.kind!.column)], cells[at(file.columns.orderNo)], cells[at(file.columns.refundNo!)], cells[at(file.columns.amount)]])).toEqual([
      ["PAY", paid.orderNo, "", "29"],
      ["REFUND", paid.orderNo, refundNo, "9"],
    ]);
    await s.running.post("/control/fault", { gateway: "vbao", kind: "http-500" });
    await expect(s.adapter.fetchBillFile!({ date: TODAY }, s.http)).rejects.toBeInstanceOf(GatewayError);
  });
});
