import { describe, expect, it } from "vitest";
import { verifySign } from "@paybridge/server-middleware";
import { pkcs1Type2Unpad } from "../src/rsa.js";
import { SANDBOX_CREDENTIALS } from "@paybridge/sandbox";
import { evidence, expectEvidenceShape, shapeProblems } from "../../server-middleware/test/support/evidence.js";
import { evidenceFile } from "../../server-middleware/test/gateways/helpers.js";
import { complete, startNotifyReceiver, startSandbox } from "./support.js";
import { VBAO_RULE, vbaoCreate, vbaoData, vbaoReqmsg, vbaoRequest, withoutSign, type Fields } from "./requests.js";

const { key, customerNo } = SANDBOX_CREDENTIALS.vbao;
const CREATE = `/vbao${evidenceFile("vbao", "create-request")._path as string}`;
const QUERY = `/vbao${evidenceFile("vbao", "query-request")._path as string}`;

describe("vbao simulator", () => {
  it("serves the documented create: encrypted reqmsg with its sign → encrypted data whose launch parameters drive the in-mini-program step", async () => {
    const running = await startSandbox();
    const { sign: _sign, ...example } = evidence("vbao", "create-request").body;
    const envelope = vbaoRequest({ ...example, orderNo: `EV${Date.now()}`, orderAmount: 1234 });
    expectEvidenceShape(envelope, evidence("vbao", "request-envelope"));
    const { json } = await running.post(CREATE, envelope);
    expectEvidenceShape(json, evidence("vbao", "answer-envelope"));
    expect(json).toMatchObject({ code: "200" });
    const data = vbaoData(json);
    expectEvidenceShape(data, evidence("vbao", "create-answer-data"));
    expect(data.interfaceUrl).toMatch(new RegExp(`^${running.url}/vbao/`));
    const launch = new URL(data.launchUrl as string);
    expect(launch.pathname).toBe(`/sandbox/page/vbao/${String(data.vbOrderNo)}`);
    expect(launch.searchParams.get("payInfo")).toBe(data.payInfo);
    expect(launch.searchParams.get("interfaceUrl")).toBe(data.interfaceUrl);

    const request = { ...evidence("vbao", "mini-pay-request").body, payInfo: data.payInfo };
    const pay = await fetch(data.interfaceUrl as string, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request) });
    const answer = (await pay.json()) as Fields;
    expectEvidenceShape(answer, evidence("vbao", "mini-pay-answer"));
    expect(answer.code).toBe("200");
    expect((answer.data as Fields).package).toMatch(/^prepay_id=/);
  });

  it("answers the Alipay step with a tradeNo, and refuses the step without code or identifyId", async () => {
    const running = await startSandbox();
    const data = vbaoData((await running.post(CREATE, vbaoRequest(vbaoCreate({ payType: "ALIPAY" })))).json);
    const step = (body: Fields) => fetch(data.interfaceUrl as string, { method: "POST", body: JSON.stringify(body) }).then((r) => r.json() as Promise<Fields>);
    expect(await step({ payInfo: data.payInfo })).toMatchObject({ code: "400" });
    const answer = await step({ payInfo: data.payInfo, code: "0e1OCv1w3SXUT13aMD0w3ZASFJ3OCv1c" });
    expect((answer.data as Fields).tradeNo).toMatch(/^\d{28}$/);
  });

  it.each([
    ["a missing field", { orderNo: undefined }, "orderNo"],
    ["an over-long orderNo", { orderNo: "x".repeat(65) }, "orderNo"],
    ["an amount in yuan", { orderAmount: 0.01 }, "orderAmount"],
    ["an amount as a string", { orderAmount: "1" }, "orderAmount"],
    ["today's old amount field", { orderAmount: undefined, amount: 1 }, "orderAmount"],
    ["an unknown payType", { payType: "UNIONPAY" }, "payType"],
  ])("rejects %s with code 400 and msg", async (_case, change, field) => {
    const running = await startSandbox();
    const { json } = await running.post(CREATE, vbaoRequest(vbaoCreate(change)));
    expect(json.code).toBe("400");
    expect(json.msg).toContain(field);
  });

  it("rejects a wrong customerNo, a plain-JSON reqmsg, an unsigned or mis-signed reqmsg, and a duplicate orderNo", async () => {
    const running = await startSandbox();
    expect((await running.post(CREATE, vbaoRequest(vbaoCreate(), { customerNo: "VB0" }))).json).toMatchObject({ code: "400" });
    expect((await running.post(CREATE, vbaoRequest(vbaoCreate(), { reqmsg: JSON.stringify(vbaoCreate()) }))).json.code).toBe("400");
    const unsigned = { customerNo, reqmsg: vbaoReqmsg(vbaoCreate(), false) };
    expect((await running.post(CREATE, unsigned)).json).toMatchObject({ code: "400", msg: expect.stringContaining("sign") });
    const misSigned = { customerNo, reqmsg: vbaoReqmsg({ ...vbaoCreate(), sign: "0".repeat(32) }, false) };
    expect((await running.post(CREATE, misSigned)).json).toMatchObject({ code: "400", msg: expect.stringContaining("sign") });
    const message = vbaoCreate();
    const first = (await running.post(CREATE, vbaoRequest(message))).json;
    expect(first.code).toBe("200");
    // The same unpaid order again (a retry after a timeout) answers the same gateway order.
    const again = (await running.post(CREATE, vbaoRequest(message))).json;
    expect(vbaoData(again).vbOrderNo).toBe(vbaoData(first).vbOrderNo);
    const duplicate = (await running.post(CREATE, vbaoRequest(vbaoCreate({ orderNo: message.orderNo, orderAmount: 2 })))).json;
    expect(duplicate.code).toBe("400");
    expect(duplicate.msg).toContain("orderNo");
  });

  it("answers the query (payStatus) before and after completion, notifies signed with customerNo, and answers the step once paid with the document's 400", async () => {
    const running = await startSandbox();
    const receiver = await startNotifyReceiver([{ status: 200, body: "OK" }]);
    const message = vbaoCreate({ orderAmount: 29, notifyUrl: receiver.url });
    const created = vbaoData((await running.post(CREATE, vbaoRequest(message))).json);
    const query = async () => vbaoData((await running.post(QUERY, vbaoRequest({ orderNo: message.orderNo }))).json);
    const before = await query();
    // Unpaid: no time paid yet.
    expect(shapeProblems(before, evidence("vbao", "query-answer-paid").body)).toEqual(["payTime: missing"]);
    expect(before).toMatchObject({ payStatus: "WAIT", orderNo: message.orderNo, orderAmount: 29, vbOrderNo: created.vbOrderNo, customerNo });

    const result = await complete(running, { gateway: "vbao", gatewayOrderNo: created.vbOrderNo, outcome: "paid" });
    expect(result.json).toEqual({ delivered: true, attempts: 1, reply: evidenceFile("vbao", "notify-paid")._reply });
    const notify = JSON.parse(receiver.received[0]?.body ?? "") as Fields;
    expectEvidenceShape(notify, evidence("vbao", "notify-paid"));
    expect(verifySign(withoutSign(notify), VBAO_RULE, key, notify.sign)).toBe(true);
    for (const field of ["customerNo", "orderNo"]) expect(notify).toHaveProperty(field);
    expect(notify).toMatchObject({ customerNo, orderNo: message.orderNo, vbOrderNo: created.vbOrderNo, orderAmount: 29, payStatus: "SUCCESS" });

    const after = await query();
    expectEvidenceShape(after, evidence("vbao", "query-answer-paid"));
    expect(after.payStatus).toBe("SUCCESS");
    const step = await fetch(created.interfaceUrl as string, { method: "POST", body: JSON.stringify({ payInfo: created.payInfo, identifyId: "o1" }) });
    expect(await step.json()).toEqual(evidence("vbao", "mini-pay-answer-already-paid").body);
    expect((await running.post(QUERY, vbaoRequest({ orderNo: "nope" }))).json.code).toBe("400");
  });
});

describe("sandbox PKCS#1 v1.5 type 2 unpadding", () => {
  const block = (bytes: number[]) => Buffer.from([...bytes, ...Array<number>(256 - bytes.length).fill(0x41)]);
  it("reads a well-formed block and refuses bad headers and short padding", () => {
    const good = Buffer.concat([Buffer.from([0, 2]), Buffer.alloc(8, 0xff), Buffer.from([0]), Buffer.from("hello")]);
    expect(pkcs1Type2Unpad(good)?.toString()).toBe("hello");
    expect(pkcs1Type2Unpad(Buffer.concat([Buffer.from([0, 1]), good.subarray(2)]))).toBeNull();
    expect(pkcs1Type2Unpad(block([0, 2, 1, 2, 3, 0]))).toBeNull();
    expect(pkcs1Type2Unpad(Buffer.concat([Buffer.from([0, 2]), Buffer.alloc(20, 0xff)]))).toBeNull();
  });
});
