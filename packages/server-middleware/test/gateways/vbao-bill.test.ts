/**
 * vbao's fetchBillFile (issue 20): billDownload sent like every vbao server call (EVIDENCE.md,
 * Additions: `{customerNo, date (yyyyMMdd), type}` in the signed, encrypted reqmsg), the answer
 * (*assumed*: the file as the body) handed over unparsed with its columns; refusals throw.
 */
import { describe, expect, it } from "vitest";
import type { BillColumns } from "../../src/bills/contract.js";
import { ConfigError, GatewayError, InvalidRequestError } from "../../src/errors.js";
import { vbao, type VbaoConfig } from "../../src/gateways/vbao/adapter.js";
import { COMMON_SIGN_RULE, verifySign } from "../../src/gateways/kit/signing.js";
import { fakeHttp } from "./helpers.js";
import { VBAO_TEST_PUBLIC_PEM, readReqmsg } from "./vbao-rsa.js";

const KEY = "vbao-test-key";
const CONFIG: VbaoConfig = { baseUrl: "https://vbao.test", customerNo: "C100", key: KEY, publicKey: VBAO_TEST_PUBLIC_PEM };
const FILE = "type,orderNo,vbOrderNo,refundNo,payStatus,orderAmount,payTime\r\nPAY,A1,V1,,SUCCESS,29,2025-12-03 10:05:12\r\n";
const csv = (body: string, status = 200) => ({ status, headers: { "content-type": "text/csv" }, body });

async function download(config: VbaoConfig, respond: Parameters<typeof fakeHttp>[0], date = "2025-12-03") {
  const fake = fakeHttp(respond);
  const adapter = vbao(config);
  if (!adapter.fetchBillFile) throw new Error("vbao has no fetchBillFile");
  return { fake, result: adapter.fetchBillFile({ date }, fake.http) };
}

describe("vbao fetchBillFile", () => {
  it("posts billDownload's {customerNo, date yyyyMMdd, type} signed inside the encrypted reqmsg and returns the file unparsed", async () => {
    const { fake, result } = await download(CONFIG, () => csv(FILE));
    const file = await result;
    expect(fake.requests[0]?.url).toBe("https://vbao.test/api/vbdownload/order/standard/billDownload");
    const sent = fake.sent();
    expect(sent.customerNo).toBe("C100");
    const { json } = readReqmsg(sent.reqmsg as string);
    expect(json).toMatchObject({ customerNo: "C100", date: "20251203", type: "" });
    expect(verifySign(json, COMMON_SIGN_RULE, KEY, json.sign)).toBe(true);
    expect(file.format).toBe("csv");
    expect(new TextDecoder().decode(file.body)).toBe(FILE);
    expect(file.columns).toBe(vbao(CONFIG).billColumns);
    expect(file.columns).toMatchObject({ orderNo: "orderNo", amount: "orderAmount", amountUnit: "fen", kind: { column: "type", refund: ["REFUND"] } });
  });

  it("takes the path, type and columns a merchant sets", async () => {
    const columns: BillColumns = { orderNo: "商户订单号", amount: "金额", amountUnit: "yuan", time: "交易时间" };
    const config = { ...CONFIG, bill: { path: "/bills/download", type: "PAY", columns } };
    const { fake, result } = await download(config, () => csv(FILE));
    expect((await result).columns).toEqual(columns);
    expect(fake.requests[0]?.url).toBe("https://vbao.test/bills/download");
    expect(readReqmsg(fake.sent().reqmsg as string).json.type).toBe("PAY");
  });

  it("throws on a refusal, an HTTP error, an empty or oversized file: a failed download is never an empty bill", async () => {
    const answers = [
      JSON.stringify({ code: "400", msg: "对账文件不存在" }),
      JSON.stringify({ code: "200", msg: "操作成功", data: "x" }),
      csv("Internal Server Error", 500),
      csv(""),
      csv(FILE.repeat(10)),
    ];
    for (const answer of answers) {
      const { result } = await download({ ...CONFIG, bill: { maxBytes: FILE.length * 2 } }, () => answer);
      await expect(result).rejects.toBeInstanceOf(GatewayError);
    }
  });

  it("refuses a bad date before sending, and bad bill settings at configuration", async () => {
    const { fake, result } = await download(CONFIG, () => csv(FILE), "20251203");
    await expect(result).rejects.toBeInstanceOf(InvalidRequestError);
    expect(fake.requests).toHaveLength(0);
    const bad: VbaoConfig["bill"][] = [
      { path: "" },
      { maxBytes: 0 },
      { columns: { orderNo: "a", amount: "b", time: "" } as BillColumns },
      { columns: { orderNo: "a", amount: "b", time: "c", amountUnit: "cents" } as unknown as BillColumns },
    ];
    for (const bill of bad) expect(() => vbao({ ...CONFIG, bill }), JSON.stringify(bill)).toThrow(ConfigError);
  });
});
