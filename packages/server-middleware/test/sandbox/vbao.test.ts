import { describe, expect, it } from "vitest";
import { verifySign } from "../../src/signing.js";
import { SANDBOX_CREDENTIALS } from "@paybridge/server-middleware/sandbox";
import { complete, startNotifyReceiver, startSandbox } from "./support.js";
import { VBAO_RULE, vbaoCreate, vbaoRequest, withoutSign, type Fields } from "./requests.js";

const { key } = SANDBOX_CREDENTIALS.vbao;
const CREATE = "/vbao/api/vborder/order/standard/miniOrder";
const QUERY = "/vbao/api/vborder/order/standard/qrcodeQuery";

describe("vbao simulator", () => {
  it("creates an order whose launch parameters drive the documented in-mini-program step", async () => {
    const running = await startSandbox();
    const { json } = await running.post(CREATE, vbaoRequest(vbaoCreate({ amount: 1234 })));
    expect(json).toMatchObject({ code: "200" });
    const data = json.data as Fields;
    expect(data.interfaceUrl).toMatch(new RegExp(`^${running.url}/vbao/`));
    const launch = new URL(data.launchUrl as string);
    expect(launch.pathname).toBe(`/sandbox/page/vbao/${String(data.vbOrderNo)}`);
    expect(launch.searchParams.get("payInfo")).toBe(data.payInfo);
    expect(launch.searchParams.get("interfaceUrl")).toBe(data.interfaceUrl);

    const pay = await fetch(data.interfaceUrl as string, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ payInfo: data.payInfo, identifyId: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" }),
    });
    const answer = (await pay.json()) as Fields;
    expect(answer.code).toBe("200");
    expect(answer.data as Fields).toMatchObject({ signType: "RSA", codeUrl: null });
    expect((answer.data as Fields).package).toMatch(/^prepay_id=/);
  });

  it("answers the Alipay step with a tradeNo, and refuses the step without code or identifyId", async () => {
    const running = await startSandbox();
    const data = (await running.post(CREATE, vbaoRequest(vbaoCreate({ payType: "ALIPAY" })))).json.data as Fields;
    const step = (body: Fields) => fetch(data.interfaceUrl as string, { method: "POST", body: JSON.stringify(body) }).then((r) => r.json() as Promise<Fields>);
    expect(await step({ payInfo: data.payInfo })).toMatchObject({ code: "400" });
    const answer = await step({ payInfo: data.payInfo, code: "0e1OCv1w3SXUT13aMD0w3ZASFJ3OCv1c" });
    expect((answer.data as Fields).tradeNo).toMatch(/^\d{28}$/);
  });

  it.each([
    ["a missing field", { orderNo: undefined }, "orderNo"],
    ["an over-long orderNo", { orderNo: "x".repeat(65) }, "orderNo"],
    ["an amount in yuan", { amount: 0.01 }, "amount"],
    ["an amount as a string", { amount: "1" }, "amount"],
    ["an unknown payType", { payType: "UNIONPAY" }, "payType"],
  ])("rejects %s with code 400 and msg", async (_case, change, field) => {
    const running = await startSandbox();
    const { json } = await running.post(CREATE, vbaoRequest(vbaoCreate(change)));
    expect(json.code).toBe("400");
    expect(json.msg).toContain(field);
  });

  it("rejects a wrong customerNo, an unreadable reqmsg and a duplicate orderNo", async () => {
    // vbao requests carry no signature field: the RSA-encrypted reqmsg is their authentication.
    const running = await startSandbox();
    expect((await running.post(CREATE, vbaoRequest(vbaoCreate(), { customerNo: "VB0" }))).json).toMatchObject({ code: "400" });
    expect((await running.post(CREATE, vbaoRequest(vbaoCreate(), { reqmsg: "bm90IGpzb24=" }))).json.code).toBe("400");
    const message = vbaoCreate();
    const request = vbaoRequest(message);
    const first = (await running.post(CREATE, request)).json;
    expect(first.code).toBe("200");
    // The same unpaid order again (a retry after a timeout) answers the same gateway order.
    const again = (await running.post(CREATE, request)).json;
    expect(again.code).toBe("200");
    expect((again.data as Fields).vbOrderNo).toBe((first.data as Fields).vbOrderNo);
    const duplicate = (await running.post(CREATE, vbaoRequest(vbaoCreate({ orderNo: message.orderNo, amount: 2 })))).json;
    expect(duplicate.code).toBe("400");
    expect(duplicate.msg).toContain("orderNo");
  });

  it("answers the query before and after completion, notifies signed, and refuses the step once paid", async () => {
    const running = await startSandbox();
    const receiver = await startNotifyReceiver([{ status: 200, body: "OK" }]);
    const message = vbaoCreate({ amount: 29, notifyUrl: receiver.url });
    const created = (await running.post(CREATE, vbaoRequest(message))).json.data as Fields;
    const query = () => running.post(QUERY, vbaoRequest({ orderNo: message.orderNo }));

    expect((await query()).json.data as Fields).toMatchObject({ payStatus: "WAIT", amount: 29, vbOrderNo: created.vbOrderNo });

    const result = await complete(running, { gateway: "vbao", gatewayOrderNo: created.vbOrderNo, outcome: "paid" });
    expect(result.json).toEqual({ delivered: true, attempts: 1, reply: "OK" });
    const notify = JSON.parse(receiver.received[0]?.body ?? "") as Fields;
    expect(verifySign(withoutSign(notify), VBAO_RULE, key, notify.sign)).toBe(true);
    expect(notify).toMatchObject({ orderNo: message.orderNo, vbOrderNo: created.vbOrderNo, amount: 29, payStatus: "SUCCESS" });

    expect(((await query()).json.data as Fields).payStatus).toBe("SUCCESS");
    const step = await fetch(created.interfaceUrl as string, { method: "POST", body: JSON.stringify({ payInfo: created.payInfo, identifyId: "o1" }) });
    expect(await step.json()).toEqual({ msg: "订单已支付成功", code: "400" });
    expect((await running.post(QUERY, vbaoRequest({ orderNo: "nope" }))).json.code).toBe("400");
  });
});
