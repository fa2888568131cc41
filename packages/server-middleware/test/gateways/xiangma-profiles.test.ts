/**
 * White-label openpay v3 platforms as profiles of the xiangma adapter (EVIDENCE.md, "xiangma and
 * the openpay v3 family"): each is checked against the hosts and paths its pages show, with the
 * assumed endpoints named as such.
 */
import { describe, expect, it } from "vitest";
import { xiangma } from "../../src/gateways/xiangma/adapter.js";
import { evidence, evidenceText } from "../support/evidence.js";
import { NotifyRejectedError } from "../../src/errors.js";
import { fakeHttp, jsonNotify } from "./helpers.js";
import { KEY, WECHAT, signed } from "./xiangma-fixtures.js";

const config = { instNo: "60000001", mchNo: "Y52212190001", key: KEY, verifyResponseSign: false };

/** The URL of every call the adapter makes: create, query, refund, close. */
async function urls(adapter: ReturnType<typeof xiangma>): Promise<string[]> {
  const fake = fakeHttp((request) =>
    request.url.includes("queryorder") ? JSON.stringify({ ...evidence("xiangma", "query-answer-pending").body, query_trace_no: undefined }) : evidenceText("xiangma", "create-answer-wechat"),
  );
  await adapter.createOrder(WECHAT, fake.http);
  await adapter.queryOrder?.({ orderNo: "A1", gatewayOrderNo: "X1" }, fake.http);
  await adapter.refundOrder?.({ orderNo: "A1", gatewayOrderNo: "X1", refundNo: "R1", amountFen: 1, orderAmountFen: 1, notifyUrl: "https://shop.example/pay/notify/x/A" }, fake.http).catch(() => undefined);
  await adapter.closeOrder?.({ orderNo: "A1", gatewayOrderNo: "X1" }, fake.http).catch(() => undefined);
  return fake.requests.map((request) => request.url);
}

describe("openpay v3 white-label profiles", () => {
  it("收呗 (shoubei): open.51shoubei.com under /openpay/v3, id shoubei", async () => {
    const adapter = xiangma({ ...config, preset: "shoubei" });
    expect(adapter.id).toBe("shoubei");
    expect(await urls(adapter)).toEqual([
      "https://open.51shoubei.com/openpay/v3/h5pay", // assumed (its pages show jspay, qrpay)
      "https://open.51shoubei.com/openpay/v3/queryorder", // assumed
      "https://open.51shoubei.com/openpay/v3/refundorder", // page 2409076928454954
      "https://open.51shoubei.com/openpay/v3/closeorder", // page 2410712352886116
    ]);
  });

  it("乐收赢 (leshouying): open.gdyfsk.com under /yfpay/v3, and its test host", async () => {
    const adapter = xiangma({ ...config, preset: "leshouying" });
    expect(adapter.id).toBe("leshouying");
    expect(await urls(adapter)).toEqual([
      "https://open.gdyfsk.com/yfpay/v3/h5pay", // page 11558452478496118
      "https://open.gdyfsk.com/yfpay/v3/queryorder", // project root page
      "https://open.gdyfsk.com/yfpay/v3/refundorder", // page 10788373895609340
      "https://open.gdyfsk.com/yfpay/v3/closeorder", // page 10788375917862433
    ]);
    expect((await urls(xiangma({ ...config, preset: "leshouying-test" })))[0]).toBe("https://test.gdyfsk.com/yfpay/v3/h5pay");
  });

  it("乐收赢 总分店 (leshouying-chain): create at /yfpay/v4/chain/h5pay, the rest under /yfpay/v3", async () => {
    const adapter = xiangma({ ...config, preset: "leshouying-chain", shopNo: "S-01" });
    expect(adapter.id).toBe("leshouying");
    expect(await urls(adapter)).toEqual([
      "https://open.gdyfsk.com/yfpay/v4/chain/h5pay", // page 11558431882569584
      "https://open.gdyfsk.com/yfpay/v3/queryorder", // assumed for the chain
      "https://open.gdyfsk.com/yfpay/v3/refundorder", // assumed for the chain
      "https://open.gdyfsk.com/yfpay/v3/closeorder", // assumed for the chain
    ]);
  });

  it("a profile's id is a default: two platforms side by side keep their own, and id still overrides", () => {
    expect(xiangma({ ...config, preset: "shoubei", id: "sb2" }).id).toBe("sb2");
    expect(xiangma(config).id).toBe("xiangma");
  });
});

describe("xiangma as a service provider: one institution (inst_no + key), a mch_no per merchant", () => {
  const shopA = xiangma({ ...config, mchNo: "MCH-A" });
  const shopB = xiangma({ ...config, mchNo: "MCH-B" });
  const paid = { inst_no: config.instNo, pay_trace_no: "1001", total_amount: "1", trade_no: "X1", result_code: "PAY_SUCCESS", pay_time: "20240102030405", attach: "" };

  it("a notify signed with the shared institution key for B's mch_no is refused by A's adapter", () => {
    const forB = jsonNotify(signed({ ...paid, mch_no: "MCH-B" }));
    expect(shopB.verifyNotify(forB).outcome).toBe("paid");
    expect(() => shopA.verifyNotify(forB)).toThrow(NotifyRejectedError);
  });

  it("乐收赢 总分店: a branch's shop_no beside the head shop's mch_no on every call, and a notify for another branch refused", async () => {
    const branch = xiangma({ ...config, preset: "leshouying-chain", mchNo: "HEAD-1", shopNo: "BRANCH-7" });
    const fake = fakeHttp((request) =>
      request.url.includes("queryorder") ? JSON.stringify({ ...evidence("xiangma", "query-answer-pending").body, query_trace_no: undefined, mch_no: "HEAD-1" }) : JSON.stringify({ ...evidence("xiangma", "create-answer-wechat").body, mch_no: "HEAD-1" }),
    );
    await branch.createOrder(WECHAT, fake.http);
    await branch.queryOrder?.({ orderNo: "A1", gatewayOrderNo: "X1" }, fake.http);
    for (const request of fake.requests) expect(JSON.parse(request.body!)).toMatchObject({ inst_no: config.instNo, mch_no: "HEAD-1", shop_no: "BRANCH-7" });
    const plain = fakeHttp(() => evidenceText("xiangma", "create-answer-wechat"));
    await xiangma(config).createOrder(WECHAT, plain.http);
    expect(JSON.parse(plain.requests[0]!.body!)).not.toHaveProperty("shop_no");
    expect(() => branch.verifyNotify(jsonNotify(signed({ ...paid, mch_no: "HEAD-1", shop_no: "BRANCH-8" })))).toThrow(NotifyRejectedError);
    expect(branch.verifyNotify(jsonNotify(signed({ ...paid, mch_no: "HEAD-1", shop_no: "BRANCH-7" }))).outcome).toBe("paid");
  });
});
