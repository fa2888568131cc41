import { describe, expect, it } from "vitest";
import { verifySign } from "@paybridge/server-middleware";
import { SANDBOX_CREDENTIALS } from "@paybridge/sandbox";
import { evidence, expectEvidenceShape } from "../../server-middleware/test/support/evidence.js";
import { complete, startNotifyReceiver, startSandbox } from "./support.js";
import { signed, uniqueOrderNo, withoutSign, XIANGMA_RULE, xiangmaCreate, type Fields } from "./requests.js";

const { key, instNo, mchNo } = SANDBOX_CREDENTIALS.xiangma;
const CREATE = "/xiangma/api/openpay/v3/h5pay";
const QUERY = "/xiangma/xypay/v3/queryorder";
const freshTrace = (): string => uniqueOrderNo().toLowerCase();
const sign = (fields: Fields) => signed(fields, XIANGMA_RULE, key);
const expectSigned = (fields: Fields) => {
  expect(fields.sign).toMatch(/^[0-9a-f]{32}$/);
  expect(verifySign(withoutSign(fields), XIANGMA_RULE, key, fields.sign)).toBe(true);
};

describe("xiangma simulator", () => {
  it("answers an H5 create with a signed response shaped like the doc's, code_url a page under the mount", async () => {
    const running = await startSandbox();
    const request = xiangmaCreate({ total_amount: "1234" });
    const { json } = await running.post(CREATE, sign(request));
    expect(json).toMatchObject({
      return_code: "SUCCESS",
      pay_type: "400",
      mch_no: mchNo,
      shop_name: "",
      pay_trace_no: request.pay_trace_no,
      pay_time: request.pay_time,
      total_amount: "1234",
      appId: null,
      packages: null,
      ali_trade_no: null,
    });
    expect(json.code_url).toBe(`${running.url}/page/xiangma/${String(json.trade_no)}`);
    // Empty strings are signed, nulls are not: a skip-empty verifier would fail here.
    expectSigned(json);
  });

  it("answers WeChat with an open_id as JSAPI fields: `packages` and a millisecond timeStamp", async () => {
    const running = await startSandbox();
    const { json } = await running.post(CREATE, sign(xiangmaCreate({ open_id: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" })));
    expect(json.packages).toMatch(/^prepay_id=/);
    expect(json.package).toBeUndefined();
    expect(json.timeStamp).toMatch(/^\d{13}$/);
    expect(json.code_url).toBeNull();
    expectSigned(json);

    const alipay = await running.post(CREATE, sign(xiangmaCreate({ pay_type: "300", open_id: "2088102146225135" })));
    expect(alipay.json.ali_trade_no).toMatch(/^\d{28}$/);
    expectSigned(alipay.json);
  });

  it.each([
    ["a missing field", { pay_time: undefined }, "pay_time"],
    ["an over-long pay_trace_no", { pay_trace_no: "x".repeat(33) }, "pay_trace_no"],
    ["an amount in yuan", { total_amount: "0.01" }, "total_amount"],
    ["an amount as a number", { total_amount: 1 }, "total_amount"],
    ["a pay_time not yyyyMMddHHmmss", { pay_time: "2023-03-06 23:53:18" }, "pay_time"],
    ["a pay_time that is no real time", { pay_time: "20230230120000" }, "pay_time"],
    ["an unknown pay_type", { pay_type: "500" }, "pay_type"],
  ])("rejects %s in its signed error shape", async (_case, change, field) => {
    const running = await startSandbox();
    const { json } = await running.post(CREATE, sign(xiangmaCreate(change)));
    expect(json.return_code).toBe("FAIL");
    expect(json.return_msg).toContain(field);
    expectSigned(json);
  });

  it("rejects a bad signature (incl. one that skipped an empty string), a wrong mch_no and a duplicate pay_trace_no", async () => {
    const running = await startSandbox();
    const request = sign(xiangmaCreate());
    const forged = await running.post(CREATE, { ...request, total_amount: "2" });
    expect(forged.json).toMatchObject({ return_code: "FAIL", return_msg: "签名错误" });

    const withEmpty = xiangmaCreate({ notify_url: "" });
    const skipEmpty = signed(withEmpty, { ...XIANGMA_RULE, skip: "empty" }, key);
    expect((await running.post(CREATE, skipEmpty)).json.return_msg).toBe("签名错误");
    expect((await running.post(CREATE, sign(withEmpty))).json.return_code).toBe("SUCCESS");

    expect((await running.post(CREATE, sign(xiangmaCreate({ mch_no: "Y0" })))).json.return_msg).toContain("mch_no");

    const first = (await running.post(CREATE, request)).json;
    expect(first.return_code).toBe("SUCCESS");
    // The same unpaid order again (a retry after a timeout) answers the same gateway order.
    const again = (await running.post(CREATE, request)).json;
    expect(again.return_code).toBe("SUCCESS");
    expect(again.trade_no).toBe(first.trade_no);
    const duplicate = await running.post(CREATE, sign(xiangmaCreate({ pay_trace_no: request.pay_trace_no, total_amount: "2" })));
    expect(duplicate.json.return_code).toBe("FAIL");
    expect(duplicate.json.return_msg).toContain("pay_trace_no");
  });

  it("accepts the evidence's create request (re-signed, our merchant) on the production and the test path, answering in the seed's shape", async () => {
    const running = await startSandbox();
    for (const path of ["/xiangma/openpay/v3/h5pay", CREATE]) {
      const { sign: _sign, ...request } = evidence("xiangma", "create-request").body;
      const { json } = await running.post(path, sign({ ...request, inst_no: instNo, mch_no: mchNo, pay_trace_no: uniqueOrderNo() }));
      expect(json.return_code, JSON.stringify(json)).toBe("SUCCESS");
      expectEvidenceShape(json, evidence("xiangma", "create-answer-wechat"));
      expectSigned(json);
    }
  });

  it("answers the query by trade_no under the query's own trace id, in the evidence's shape, and refuses a reused one", async () => {
    const running = await startSandbox();
    const receiver = await startNotifyReceiver([{ status: 200, body: '{"return_code":"SUCCESS","return_msg":"成功"}' }]);
    const request = xiangmaCreate({ total_amount: "29", notify_url: receiver.url });
    const created = (await running.post(CREATE, sign(request))).json;
    const traceNo = freshTrace();
    const query = sign({ inst_no: instNo, mch_no: mchNo, query_trace_no: traceNo, trade_no: created.trade_no });
    expectEvidenceShape(query, evidence("xiangma", "query-request"));

    const before = (await running.post(QUERY, query)).json;
    expect(before).toMatchObject({ return_code: "SUCCESS", result_code: "PAY_IN_PROCESS", total_amount: "29", query_trace_no: traceNo, pay_trace_no: request.pay_trace_no });
    expectEvidenceShape(before, evidence("xiangma", "query-answer-pending"));
    expectSigned(before);
    // 每次请求唯一: the same query_trace_no again is refused.
    expect((await running.post(QUERY, query)).json).toMatchObject({ return_code: "FAIL", return_msg: expect.stringContaining("query_trace_no") });

    const result = await complete(running, { gateway: "xiangma", gatewayOrderNo: created.trade_no, outcome: "paid" });
    expect(result.json).toMatchObject({ delivered: true, attempts: 1 });
    const notify = JSON.parse(receiver.received[0]?.body ?? "") as Fields;
    expect(receiver.received[0]?.contentType).toMatch(/^application\/json/);
    expectEvidenceShape(notify, evidence("xiangma", "notify-paid"));
    expectSigned(notify);
    expect(notify).toMatchObject({ result_code: "PAY_SUCCESS", inst_no: instNo, mch_no: mchNo, pay_trace_no: request.pay_trace_no, trade_no: created.trade_no, total_amount: "29" });
    // pay_time is the request's (document 002); end_time is when it was paid.
    expect(notify.pay_time).toBe(request.pay_time);

    const after = (await running.post(QUERY, sign({ inst_no: instNo, mch_no: mchNo, query_trace_no: freshTrace(), trade_no: created.trade_no }))).json;
    expect(after.result_code).toBe("PAY_SUCCESS");
    expectEvidenceShape(after, evidence("xiangma", "query-answer-paid"));
    expectSigned(after);
    // The order number is not a query id, and trade_no is required.
    const byOrderNo = (await running.post(QUERY, sign({ inst_no: instNo, mch_no: mchNo, query_trace_no: request.pay_trace_no }))).json;
    expect(byOrderNo).toMatchObject({ return_code: "FAIL", return_msg: expect.stringContaining("trade_no") });
  });
});
