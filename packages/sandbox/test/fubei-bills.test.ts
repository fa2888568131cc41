/** fubei's reconciliation method on the simulator, against the evidence fixtures (not the adapter). */
import { describe, expect, it } from "vitest";
import { SANDBOX_CREDENTIALS } from "@paybridge/sandbox";
import { evidence, expectEvidenceShape } from "../../server-middleware/test/support/evidence.js";
import { complete, startSandbox } from "./support.js";
import { FUBEI_ENVELOPE_RULE, fubeiBiz, fubeiEnvelope, signed, type Fields } from "./requests.js";

const { appId, appSecret, storeId } = SANDBOX_CREDENTIALS.fubei;
const GATEWAY = "/fubei/gateway";
const RECONCILIATION = "openapi.payment.order.reconciliation";
const today = new Date(Date.now() + 8 * 3600_000);
const TODAY = { year: today.getUTCFullYear(), month: today.getUTCMonth() + 1, day: today.getUTCDate() };

describe("fubei simulator reconciliation", () => {
  it("accepts the evidence's request (re-signed, today) and answers in the evidence's shape, paid and unpaid", async () => {
    const running = await startSandbox();
    const paid = fubeiBiz({ total_fee: 0.29 });
    const created = (await running.post(GATEWAY, fubeiEnvelope("openapi.payment.order.mina", paid))).json.data as Fields;
    await complete(running, { gateway: "fubei", gatewayOrderNo: created.order_sn, outcome: "paid", notify: false });
    await running.post(GATEWAY, fubeiEnvelope("openapi.payment.order.mina", fubeiBiz({ total_fee: 1.15 })));

    const { sign: _sign, ...envelope } = evidence("fubei", "reconciliation-request").body;
    const biz = { ...(JSON.parse(envelope.biz_content as string) as Fields), ...TODAY, store_id: storeId };
    const { json } = await running.post(GATEWAY, signed({ ...envelope, app_id: appId, biz_content: JSON.stringify(biz) }, FUBEI_ENVELOPE_RULE, appSecret));
    expect(json.result_code, JSON.stringify(json)).toBe(200);
    expectEvidenceShape(json, evidence("fubei", "reconciliation-answer"));
    const list = (json.data as { list: Fields[] }).list;
    expect(list.map((row) => [row.merchant_order_sn, row.total_fee, row.pay_status, row.pay_time === "0"])).toEqual([
      [paid.merchant_order_sn, "0.29", "1", false],
      [expect.any(String), "1.15", "0", true],
    ]);
  });

  it("pages with page and limit, and refuses a limit over 100 or another store", async () => {
    const running = await startSandbox();
    for (let i = 0; i < 3; i += 1) await running.post(GATEWAY, fubeiEnvelope("openapi.payment.order.mina", fubeiBiz()));
    const page = async (extra: Fields) => (await running.post(GATEWAY, fubeiEnvelope(RECONCILIATION, { ...TODAY, type: "1", ...extra }))).json;
    expect(((await page({ page: 2, limit: 2 })).data as { total: string; list: unknown[] })).toMatchObject({ total: "3", list: [expect.any(Object)] });
    expect(((await page({ page: 3, limit: 2 })).data as { list: unknown[] }).list).toEqual([]);
    expect(await page({ limit: 101 })).toMatchObject({ result_code: 400, result_message: expect.stringContaining("limit") });
    expect(await page({ store_id: storeId + 1 })).toMatchObject({ result_code: 400, sub_code: "INVALID_STORE" });
  });
});
