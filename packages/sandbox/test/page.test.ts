import { describe, expect, it } from "vitest";
import { JSDOM, VirtualConsole } from "jsdom";
import { SANDBOX_CREDENTIALS } from "@paybridge/sandbox";
import { startNotifyReceiver, startSandbox } from "./support.js";
import { signed, XIANGMA_RULE, xiangmaCreate } from "./requests.js";

const xiangmaKey = SANDBOX_CREDENTIALS.xiangma.key;
const CREATE = "/xiangma/api/openpay/v3/h5pay";

describe("redirect page", () => {
  it("renders the amount and the Pay / Cancel / Fail buttons wired to /control/complete under the mount", async () => {
    const running = await startSandbox();
    const { json } = await running.post(CREATE, signed(xiangmaCreate({ total_amount: "1234", pay_trace_no: `<b>${Date.now()}` }), XIANGMA_RULE, xiangmaKey));
    const response = await fetch(json.code_url as string);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain("¥12.34");
    for (const id of ["sandbox-pay", "sandbox-cancel", "sandbox-fail"]) expect(html).toContain(`<button id="${id}"`);
    expect(html).toContain(`"completeUrl":"${running.url}/control/complete"`);
    // The merchant's order number is shown escaped, never as markup.
    expect(html).not.toContain("<b>");
    expect(html).toContain("&lt;b&gt;");
  });

  it.each([
    ["sandbox-pay", "PAY_SUCCESS"],
    ["sandbox-fail", "PAY_FAIL"],
  ])("%s completes the order (a signed notify goes out) and returns to the referrer", async (button, resultCode) => {
    const running = await startSandbox();
    const receiver = await startNotifyReceiver([{ status: 200, body: '{"return_code":"SUCCESS","return_msg":"成功"}' }]);
    const { json } = await running.post(CREATE, signed(xiangmaCreate({ notify_url: receiver.url }), XIANGMA_RULE, xiangmaKey));
    const pageUrl = json.code_url as string;

    const navigations: string[] = [];
    const virtualConsole = new VirtualConsole();
    // jsdom does not navigate; it reports the attempt, which is what this test needs.
    virtualConsole.on("jsdomError", (error: Error) => navigations.push(error.message));
    const acknowledged = new Promise((resolve) => running.sandbox.events.once("notify.acknowledged", resolve));
    const dom = new JSDOM(await (await fetch(pageUrl)).text(), {
      url: pageUrl,
      referrer: "http://127.0.0.1/shop/checkout",
      runScripts: "dangerously",
      virtualConsole,
      beforeParse(window: { fetch: typeof fetch }) {
        window.fetch = fetch;
      },
    });
    (dom.window.document.getElementById(button) as HTMLButtonElement).click();
    await acknowledged;
    expect(JSON.parse(receiver.received[0]?.body ?? "").result_code).toBe(resultCode);
    await expect.poll(() => navigations.some((message) => /navigation/i.test(message))).toBe(true);
    dom.window.close();
  });

  it("answers 404 for an unknown order", async () => {
    const running = await startSandbox();
    expect((await fetch(`${running.url}/page/upaas/nope`)).status).toBe(404);
    expect((await fetch(`${running.url}/page/paypal/nope`)).status).toBe(404);
  });
});
