/**
 * fubei's fetchBill (issue 20) against the evidence's reconciliation shape
 * (test/fixtures/evidence/fubei/reconciliation-*.json, written from EVIDENCE.md, never from the
 * adapter): the request, exact amounts, paging until an empty page, and every failing page throws.
 */
import { describe, expect, it } from "vitest";
import type { BillRow } from "../../src/bills/contract.js";
import { GatewayError, InvalidRequestError } from "../../src/errors.js";
import type { GatewayHttp } from "../../src/gateways/contract.js";
import { fubei, type FubeiConfig } from "../../src/gateways/fubei/adapter.js";
import { verifySign, type SignRule } from "../../src/gateways/kit/signing.js";
import { evidence, evidenceText, expectEvidenceShape } from "../support/evidence.js";
import { fakeHttp } from "./helpers.js";

const SECRET = "fubei-test-secret";
const ENVELOPE = ["app_id", "method", "format", "sign_method", "nonce", "version", "biz_content"];
const REQUEST_RULE: SignRule = { skip: "empty", secretJoiner: "", hexCase: "upper", algorithm: "md5", signField: "sign", fields: ENVELOPE };
const CONFIG: FubeiConfig = { baseUrl: "https://fubei.test/gateway", appId: "20170601202131300809", appSecret: SECRET, storeId: 3239 };
const DAY = { date: "2025-12-03" };

type Row = Record<string, unknown>;
const evidenceRows = (): Row[] => (evidence("fubei", "reconciliation-answer").body.data as { list: Row[] }).list;
const page = (list: unknown, extra: Row = {}): string => JSON.stringify({ result_code: 200, result_message: "成功", data: { total: "0", list, ...extra } });
const bizOf = (sent: Record<string, unknown>): Row => JSON.parse(sent.biz_content as string) as Row;

async function collect(rows: AsyncIterable<BillRow>, into: BillRow[] = []): Promise<BillRow[]> {
  for await (const row of rows) into.push(row);
  return into;
}

function fetchBill(http: GatewayHttp, config: FubeiConfig = CONFIG, date = DAY.date): AsyncIterable<BillRow> {
  const adapter = fubei(config);
  if (!adapter.fetchBill) throw new Error("fubei has no fetchBill");
  return adapter.fetchBill({ date }, http);
}

describe("fubei fetchBill", () => {
  it("asks openapi.payment.order.reconciliation for the day, page by page, signed like every 1.0 call", async () => {
    const fake = fakeHttp((_, index) => (index === 0 ? evidenceText("fubei", "reconciliation-answer") : page([])));
    await collect(fetchBill(fake.http));
    expect(fake.requests).toHaveLength(2);
    const sent = fake.sent(0);
    expectEvidenceShape(sent, evidence("fubei", "reconciliation-request"));
    expect(sent.method).toBe("openapi.payment.order.reconciliation");
    expect(bizOf(sent)).toEqual({ year: 2025, month: 12, day: 3, store_id: 3239, page: 1, limit: 100, type: "1" });
    expect(verifySign(sent, REQUEST_RULE, SECRET, sent.sign)).toBe(true);
    expect(bizOf(fake.sent(1))).toMatchObject({ page: 2, limit: 100 });
  });

  it("reads the evidence's rows: yuan strings exactly in fen, pay_time in ms, pay_status 0 as failed at create_time", async () => {
    const { http } = fakeHttp((_, index) => page(index === 0 ? evidenceRows() : []));
    const rows = await collect(fetchBill(http));
    expect(rows).toEqual([
      { line: 1, kind: "payment", orderNo: "201712031005001", gatewayOrderNo: "20261203100501098178", amountFen: 29, feeFen: 1, at: 1764727512000, status: "success" },
      { line: 2, kind: "payment", orderNo: "201712031130002", gatewayOrderNo: "20261203113001098179", amountFen: 115, feeFen: 0, at: 1764732630000, status: "success" },
      { line: 3, kind: "payment", orderNo: "201712031200003", gatewayOrderNo: "20261203120001098180", amountFen: 500, feeFen: 0, at: 1764734400000, status: "failed" },
    ]);
  });

  it("takes amounts and times as JSON numbers too, and yuan without its decimals", async () => {
    const [first] = evidenceRows();
    const numeric = { ...first, total_fee: 0.29, fee: 0, pay_time: 1764727512, pay_status: 1, store_id: 3239 };
    const whole = { ...first, merchant_order_sn: "W1", total_fee: "12", fee: "" };
    const { http } = fakeHttp((_, index) => page(index === 0 ? [numeric, whole] : []));
    const rows = await collect(fetchBill(http));
    expect(rows.map((row) => [row.amountFen, row.feeFen, row.at, row.status])).toEqual([
      [29, 0, 1764727512000, "success"],
      [1200, undefined, 1764727512000, "success"],
    ]);
  });

  it("pages until a page comes back empty: a short page is not taken as the last", async () => {
    const rows = evidenceRows();
    const pages = [[rows[0]], [rows[1]], [rows[2]], []];
    const fake = fakeHttp((_, index) => page(pages[index] ?? []));
    const read = await collect(fetchBill(fake.http));
    expect(read.map((row) => row.orderNo)).toEqual(["201712031005001", "201712031130002", "201712031200003"]);
    expect(read.map((row) => row.line)).toEqual([1, 2, 3]);
    expect(fake.requests.map((_, index) => bizOf(fake.sent(index)).page)).toEqual([1, 2, 3, 4]);
  });

  it("leaves out a row of another store (the request names ours)", async () => {
    const [first, second] = evidenceRows();
    const { http } = fakeHttp((_, index) => page(index === 0 ? [first, { ...second, store_id: "9999" }] : []));
    expect((await collect(fetchBill(http))).map((row) => row.orderNo)).toEqual(["201712031005001"]);
  });

  it("throws when a later page fails, after the rows already read: never ends the bill early", async () => {
    const { http } = fakeHttp((_, index) =>
      index === 0 ? page(evidenceRows()) : JSON.stringify({ result_code: 400, result_message: "系统繁忙", sub_code: "SYSTEM_BUSY" }),
    );
    const read: BillRow[] = [];
    await expect(collect(fetchBill(http), read)).rejects.toBeInstanceOf(GatewayError);
    expect(read).toHaveLength(3);
  });

  it("throws on a page that does not read: no list, an unreadable amount, a row without an order number, more rows than asked", async () => {
    const [first] = evidenceRows();
    const bad = [
      JSON.stringify({ result_code: 200, result_message: "成功", data: { total: "1" } }),
      page([{ ...first, total_fee: "0.295" }]),
      page([{ ...first, total_fee: "-1.00" }]),
      page([{ ...first, merchant_order_sn: "" }]),
      page([{ ...first, pay_time: "0", create_time: "" }]),
      page(Array.from({ length: 101 }, () => first)),
      "<html>busy</html>",
    ];
    for (const body of bad) {
      const { http } = fakeHttp(() => body);
      await expect(collect(fetchBill(http)), body.slice(0, 60)).rejects.toBeInstanceOf(GatewayError);
    }
  });

  it("throws past its hard page cap instead of reading without end", async () => {
    const [first] = evidenceRows();
    const fake = fakeHttp(() => page([first]));
    await expect(collect(fetchBill(fake.http))).rejects.toThrow(/more than 2000 pages/);
    expect(fake.requests).toHaveLength(2000);
  });

  it("refuses a date that is not yyyy-MM-dd before sending anything", async () => {
    const fake = fakeHttp(() => page([]));
    await expect(collect(fetchBill(fake.http, CONFIG, "2025/12/03"))).rejects.toBeInstanceOf(InvalidRequestError);
    expect(fake.requests).toHaveLength(0);
  });

  it("sends the method a merchant names (methods.reconciliation) and offers the console file's preset", async () => {
    const fake = fakeHttp(() => page([]));
    await collect(fetchBill(fake.http, { ...CONFIG, methods: { reconciliation: "openapi.payment.order.reconciliation.v2" } }));
    expect(fake.sent().method).toBe("openapi.payment.order.reconciliation.v2");
    expect(fubei(CONFIG).billColumns).toMatchObject({ orderNo: "merchant_order_sn", amount: "total_fee", amountUnit: "yuan", time: "pay_time" });
  });
});
