import { describe, expect, it } from "vitest";
import { GatewayError } from "../../src/errors.js";
import { XIANGMA_PRESETS, xiangma } from "../../src/gateways/xiangma/adapter.js";
import { verifySign } from "../../src/gateways/kit/signing.js";
import { evidence, evidenceText, expectEvidenceShape } from "../support/evidence.js";
import { fakeHttp } from "./helpers.js";
import { KEY, RULE, CONFIG, WECHAT, signed } from "./xiangma-fixtures.js";

describe("xiangma hosts and paths", () => {
  const config = { instNo: "60000001", mchNo: "Y52212190001", key: KEY, verifyResponseSign: false };
  const urls = async (adapter: ReturnType<typeof xiangma>): Promise<(string | undefined)[]> => {
    const fake = fakeHttp((request) =>
      request.url.includes("queryorder") ? JSON.stringify({ ...evidence("xiangma", "query-answer-pending").body, query_trace_no: undefined }) : evidenceText("xiangma", "create-answer-wechat"),
    );
    await adapter.createOrder(WECHAT, fake.http);
    await adapter.queryOrder?.({ orderNo: "A1", gatewayOrderNo: "X1" }, fake.http);
    return fake.requests.map((request) => request.url);
  };

  it("defaults to the production host over https, each path its own", async () => {
    expect(await urls(xiangma(config))).toEqual(["https://cpay.xiangma365.com/openpay/v3/h5pay", "https://cpay.xiangma365.com/xypay/v3/queryorder"]);
  });

  it("has the document's test host as a named preset, its paths under /api", async () => {
    expect(await urls(xiangma({ ...config, preset: "test" }))).toEqual([
      "http://xipay.xiangma365.com/api/openpay/v3/h5pay",
      "http://xipay.xiangma365.com/api/xypay/v3/queryorder",
    ]);
    expect(XIANGMA_PRESETS.test.baseUrl).toBe("http://xipay.xiangma365.com");
  });

  it("takes one endpoint's path as its own setting, and refuses an unknown preset", async () => {
    expect(await urls(xiangma({ ...config, paths: { query: "/v3/queryorder" } }))).toEqual([
      "https://cpay.xiangma365.com/openpay/v3/h5pay",
      "https://cpay.xiangma365.com/v3/queryorder",
    ]);
    expect(() => xiangma({ ...config, preset: "staging" as "test" })).toThrow(/gateways\.xiangma\.preset/);
  });
});

describe("xiangma queryOrder", () => {
  /** The evidence answer, naming the query it answers, signed with the test key. */
  const answer = (message: string, change: Record<string, unknown> = {}) => (request: { body?: string }) => {
    const sent = JSON.parse(request.body ?? "{}") as Record<string, unknown>;
    const { sign: _sign, ...body } = evidence("xiangma", message).body;
    return JSON.stringify(signed({ ...body, ...(body.query_trace_no === undefined ? {} : { query_trace_no: sent.query_trace_no }), ...change }));
  };
  const ORDER = { orderNo: "998877665544332018", gatewayOrderNo: "200001102F4623030615082110001" };

  it("sends a fresh query_trace_no each time (never the order number) with the create answer's trade_no", async () => {
    const fake = fakeHttp(answer("query-answer-pending"));
    await xiangma(CONFIG).queryOrder?.(ORDER, fake.http);
    await xiangma(CONFIG).queryOrder?.(ORDER, fake.http);
    const [first, second] = [fake.sent(0), fake.sent(1)];
    expectEvidenceShape(first, evidence("xiangma", "query-request"));
    expect(first).toMatchObject({ inst_no: "60000001", mch_no: "Y52212190001", trade_no: ORDER.gatewayOrderNo });
    expect(first.query_trace_no).toMatch(/^[0-9a-f]{32}$/);
    expect(first.query_trace_no).not.toBe(ORDER.orderNo);
    expect(second.query_trace_no).not.toBe(first.query_trace_no);
    expect(verifySign(first, RULE, KEY, first.sign)).toBe(true);
  });

  it("reads the evidence's paid answer: result_code is the trade state; it names the order and its amount", async () => {
    const { http } = fakeHttp(answer("query-answer-paid"));
    await expect(xiangma(CONFIG).queryOrder?.(ORDER, http)).resolves.toEqual({
      status: "paid",
      amountFen: 1,
      orderNo: ORDER.orderNo,
      gatewayOrderNo: ORDER.gatewayOrderNo,
      paidAt: "2023-03-06T15:55:01.000Z",
    });
  });

  it("reads PAY_IN_PROCESS as pending and PAY_FAIL as failed", async () => {
    const pending = fakeHttp(answer("query-answer-pending"));
    await expect(xiangma(CONFIG).queryOrder?.(ORDER, pending.http)).resolves.toMatchObject({ status: "pending", orderNo: ORDER.orderNo, amountFen: 1 });
    const failed = fakeHttp(answer("query-answer-pending", { result_code: "PAY_FAIL" }));
    await expect(xiangma(CONFIG).queryOrder?.(ORDER, failed.http)).resolves.toMatchObject({ status: "failed" });
  });

  it("also reads an older answer's trade_state SUCCESS as paid", async () => {
    const { http } = fakeHttp(answer("query-answer-trade-state"));
    await expect(xiangma(CONFIG).queryOrder?.(ORDER, http)).resolves.toMatchObject({ status: "paid", amountFen: 1, orderNo: ORDER.orderNo });
  });

  it("refuses an answer to another query, for another merchant, or with a bad signature", async () => {
    const evidenceAnswer = evidence("xiangma", "query-answer-paid").body;
    const otherQuery = fakeHttp(() => JSON.stringify(signed({ ...evidenceAnswer, sign: undefined })));
    await expect(xiangma(CONFIG).queryOrder?.(ORDER, otherQuery.http)).rejects.toThrow(/query_trace_no/);
    const otherMerchant = fakeHttp(answer("query-answer-paid", { mch_no: "Y0000000000" }));
    await expect(xiangma(CONFIG).queryOrder?.(ORDER, otherMerchant.http)).rejects.toThrow(/mch_no/);
    const forged = fakeHttp((request) => JSON.stringify({ ...JSON.parse(answer("query-answer-paid")(request)), total_amount: "2" }));
    await expect(xiangma(CONFIG).queryOrder?.(ORDER, forged.http)).rejects.toThrow(/signature/);
  });

  it("does not query without the create answer's trade_no", async () => {
    const fake = fakeHttp(answer("query-answer-paid"));
    await expect(xiangma(CONFIG).queryOrder?.({ orderNo: ORDER.orderNo }, fake.http)).rejects.toThrow(GatewayError);
    expect(fake.requests).toHaveLength(0);
  });
});
