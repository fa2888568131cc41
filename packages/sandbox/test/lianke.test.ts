import { describe, expect, it } from "vitest";
import { verifySign } from "@paybridge/server-middleware";
import { SANDBOX_CREDENTIALS } from "@paybridge/sandbox";
import { evidence, expectEvidenceShape } from "../../server-middleware/test/support/evidence.js";
import { evidenceFile } from "../../server-middleware/test/gateways/helpers.js";
import { complete, startNotifyReceiver, startSandbox } from "./support.js";
import { LIANKE_RULE, liankeCreate, signed, withoutSign, type Fields } from "./requests.js";

const { key, storeNo } = SANDBOX_CREDENTIALS.lianke;
const CREATE = "/lianke/QuickPay/JSAPIPay";
const QUERY = "/lianke/QuickPay/Query";
const sign = (fields: Fields) => signed(fields, LIANKE_RULE, key);

describe("lianke simulator", () => {
  it("answers a WeChat create with cloudpay_param holding the JSAPI parameters as JSON text", async () => {
    const running = await startSandbox();
    const request = liankeCreate({ amount: 1234, attach: "a1" });
    const { json } = await running.post(CREATE, sign(request));
    expect(json.code).toBe("SUCCESS");
    const data = json.data as Fields;
    expect(data).toMatchObject({ order_no: request.order_no, total_amount: 1234, transaction_status: "CREATE", store_no: storeNo, attach: "a1" });
    expect(typeof data.transaction_no).toBe("string");
    const pay = JSON.parse(data.cloudpay_param as string) as Fields;
    expect(pay.appId).toBe("wx7b54f0a5769316b9");
    expect(pay.package).toMatch(/^prepay_id=/);
    expect(pay.timeStamp).toMatch(/^\d{10}$/);
  });

  it("answers an Alipay create (no appid needed) with a trade number as cloudpay_param", async () => {
    const running = await startSandbox();
    const { json } = await running.post(CREATE, sign(liankeCreate({ paytype: 21, appid: undefined, openid: "2088102146225135" })));
    expect(json.code).toBe("SUCCESS");
    expect((json.data as Fields).cloudpay_param).toMatch(/^\d{28}$/);
  });

  it.each([
    ["a missing field", { openid: undefined }, "openid"],
    ["a missing appid for WeChat", { appid: undefined }, "appid"],
    ["an over-long order_no", { order_no: "x".repeat(33) }, "order_no"],
    ["an over-long attach", { attach: "x".repeat(128) }, "attach"],
    ["an amount as a yuan string", { amount: "0.01" }, "amount"],
    ["a fractional amount", { amount: 0.5 }, "amount"],
    ["an amount above 10 digits", { amount: 10_000_000_000 }, "amount"],
    ["an unknown paytype", { paytype: 10 }, "paytype"],
  ])("rejects %s in its error shape", async (_case, change, field) => {
    const running = await startSandbox();
    const { json } = await running.post(CREATE, sign(liankeCreate(change)));
    expect(json.code).not.toBe("SUCCESS");
    expect(json.msg).toContain(field);
  });

  it("rejects a bad signature, a lower-case signature of another key, and a duplicate order_no", async () => {
    const running = await startSandbox();
    const request = sign(liankeCreate());
    const forged = await running.post(CREATE, { ...request, amount: 2 });
    expect(forged.json.code).not.toBe("SUCCESS");
    expect(forged.json.msg).toBe("签名错误");
    const otherKey = await running.post(CREATE, signed(liankeCreate(), LIANKE_RULE, "not-the-key"));
    expect(otherKey.json.msg).toBe("签名错误");

    const first = (await running.post(CREATE, request)).json;
    expect(first.code).toBe("SUCCESS");
    // The same unpaid order again (a retry after a timeout) answers the same gateway order.
    const again = (await running.post(CREATE, request)).json;
    expect(again.code).toBe("SUCCESS");
    expect((again.data as Fields).transaction_no).toBe((first.data as Fields).transaction_no);
    const duplicate = await running.post(CREATE, sign(liankeCreate({ order_no: request.order_no, amount: 2 })));
    expect(duplicate.json.code).not.toBe("SUCCESS");
    expect(duplicate.json.msg).toContain("order_no");
  });

  it("answers the query before and after completion, and notifies with a verifiable signature", async () => {
    const running = await startSandbox();
    const receiver = await startNotifyReceiver([{ status: 200, body: "OK" }]);
    const request = liankeCreate({ amount: 29, notify_url: receiver.url, attach: "cart-7" });
    const created = (await running.post(CREATE, sign(request))).json.data as Fields;
    const query = sign({ store_no: storeNo, order_no: request.order_no });

    expect(((await running.post(QUERY, query)).json.data as Fields).transaction_status).toBe("CREATE");

    const result = await complete(running, { gateway: "lianke", gatewayOrderNo: created.transaction_no, outcome: "paid" });
    expect(result.json).toEqual({ delivered: true, attempts: 1, reply: "OK" });
    const notify = JSON.parse(receiver.received[0]?.body ?? "") as Fields;
    expect(verifySign(withoutSign(notify), LIANKE_RULE, key, notify.sign)).toBe(true);
    expect(notify.sign).toMatch(/^[0-9A-F]{32}$/);
    expect(notify).toMatchObject({ order_no: request.order_no, transaction_no: created.transaction_no, total_amount: 29, transaction_status: "SUCCESS", attach: "cart-7" });

    const after = (await running.post(QUERY, query)).json;
    expect(after.code).toBe("SUCCESS");
    expect(after.data as Fields).toMatchObject({ transaction_status: "SUCCESS", total_amount: 29 });
  });
});

describe("lianke simulator follows document 001 (evidence fixtures)", () => {
  it("accepts the document's example request (goods_tag, share_pay, itemlist) and answers PayResultInfo's shape", async () => {
    const running = await startSandbox();
    const file = evidenceFile("lianke", "create-request");
    const { sign: _sign, ...example } = file.body;
    // The example's paytype 10 contradicts its own text (11 WeChat, 21 Alipay); its strings are placeholders.
    const request = { ...example, store_no: storeNo, paytype: 21, order_no: `EV${Date.now()}`, appid: undefined, openid: "2088000000000001" };
    const { json } = await running.post(`/lianke${file._path as string}`, sign(request));
    expect(json.code, JSON.stringify(json)).toBe("SUCCESS");
    expectEvidenceShape(json, evidence("lianke", "create-answer"));
    expect((json.data as Fields).store_no).toBe(storeNo);
  });
});

describe("lianke simulator: itemlist as document 001's ItemInfo", () => {
  it("refuses an item field the document does not list and a fractional quantity", async () => {
    const running = await startSandbox();
    for (const item of [{ sku: "1" }, { quantity: 1.5 }]) {
      const { json } = await running.post(CREATE, sign(liankeCreate({ itemlist: [item] })));
      expect(json.code).toBe("FAIL");
      expect(json.msg).toContain("itemlist");
    }
  });
});
