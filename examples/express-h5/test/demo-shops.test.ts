/**
 * The shops demo: one process, shop `tea` paying through the upaas sandbox, `noodle` through the
 * xiangma sandbox and `rice` through fubei as a service provider's merchant (the provider key,
 * its own merchant_id), each order's shop found on the server from its number.
 */
import { describe, expect, it } from "vitest";
import { startDemo } from "../demo.mjs";
import { demosClosedAfterEach, postJson } from "./support.js";

const running = demosClosedAfterEach();
describe("demo with several shops", () => {
  it("each shop's page pays through its own merchant and gateway", async () => {
    const printed: string[] = [];
    const demo = await startDemo({ port: 0, shops: true, env: {}, printLine: (line) => printed.push(line), log: () => {} });
    running.push(demo);
    for (const [shop, gateway] of [["tea", "upaas"], ["noodle", "xiangma"], ["rice", "fubei"]] as const) {
      const orderNo = `${shop}_DEMO1-25`;
      const config = (await (await fetch(`${demo.url}/demo/config?orderNo=${orderNo}`)).json()) as { gateway: string };
      expect(config.gateway).toBe(gateway);
      const created = await postJson(`${demo.url}/pay/orders`, { orderNo, channel: "wechat", ...(shop === "rice" ? { scene: "jsapi" } : {}) });
      expect(created).toMatchObject({ status: 201, body: { orderNo, gateway, amountFen: 25 } });
      expect(String(created.body.statusToken)).toMatch(new RegExp(`^${shop}~`));
      const completed = await postJson(`${demo.url}/sandbox/control/complete`, { gateway, gatewayOrderNo: created.body.gatewayOrderNo, outcome: "paid" });
      expect(completed.status).toBe(200);
      await expect.poll(() => printed.filter((line) => line.includes(orderNo))).toEqual([JSON.stringify({ event: "paid", shop, orderNo, amountFen: 25, gateway })]);
      const status = await fetch(`${demo.url}/pay/orders/${orderNo}?token=${String(created.body.statusToken)}`);
      expect(await status.json()).toMatchObject({ status: "paid" });
    }
    // An order of no shop is no order.
    expect((await postJson(`${demo.url}/pay/orders`, { orderNo: "DEMO1-25", channel: "wechat" })).status).toBe(400);
  });
});
