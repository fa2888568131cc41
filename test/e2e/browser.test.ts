/**
 * The demo in real headless Chromium, entirely on the sandbox: a payer clicks a channel, the
 * sandbox's stand-in wallet (bridge sheet or redirect page) is answered, and the page must show
 * what the server confirmed — with the merchant's onPaid having printed its line exactly once.
 */
import { randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { startDemo } from "../../examples/express-h5/demo.mjs";
import { chromiumAvailable, launchChromium, type HeadlessChromium } from "../support/browser.js";

/** Gitignored; CI keeps it to show what the payer saw. */
const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));

describe.skipIf(!chromiumAvailable())("demo checkout in headless Chromium (sandbox)", () => {
  let demo: Awaited<ReturnType<typeof startDemo>>;
  let chromium: HeadlessChromium;
  const printed: string[] = [];

  beforeAll(async () => {
    demo = await startDemo({ port: 0, gateway: "upaas", env: {}, printLine: (line) => printed.push(line), log: () => {} });
    chromium = await launchChromium();
  });

  afterAll(async () => {
    await chromium?.close();
    await demo?.close();
  });

  /** A fresh order whose amount (digits after the last "-") is `amountFen`. */
  function newOrderNo(amountFen: number): string {
    return `E2E${randomUUID().slice(0, 8)}-${amountFen}`;
  }

  /** What the demo printed about this order (order numbers are unique UUID fragments). */
  function printedFor(orderNo: string): string[] {
    return printed.filter((line) => line.includes(orderNo));
  }

  async function openCheckout(orderNo: string): Promise<Page> {
    const page = await chromium.context.newPage();
    await page.goto(`${demo.url}/?orderNo=${encodeURIComponent(orderNo)}`);
    await expect.poll(() => page.locator("#order-no").textContent()).toBe(orderNo);
    return page;
  }

  /**
   * Whether onPaid had already printed when the page first asked the server for this order's
   * status after `pay` ran. The status route's query fallback settles an order too, so a paid
   * page alone cannot tell that the gateway's notify was accepted; this can.
   */
  async function paidBeforeFirstStatusRead(page: Page, orderNo: string, pay: () => Promise<void>): Promise<() => boolean | undefined> {
    let paying = false;
    let answer: boolean | undefined;
    await page.route(
      (url) => url.pathname === `/pay/orders/${orderNo}`,
      async (route) => {
        if (paying && answer === undefined && route.request().method() === "GET") answer = printedFor(orderNo).length > 0;
        await route.continue();
      },
    );
    paying = true;
    await pay();
    return () => answer;
  }

  async function answerSheet(page: Page, answer: "Pay" | "Cancel" | "Fail"): Promise<void> {
    await page.getByRole("button", { name: answer, exact: true }).click();
  }

  async function settledResult(page: Page): Promise<{ status: string | null; text: string | null }> {
    const result = page.locator("#result:not([data-status='idle']):not([data-status='working'])");
    await result.waitFor();
    return { status: await result.getAttribute("data-status"), text: await result.textContent() };
  }

  /** Exactly one line, exactly this JSON; and nothing but paid lines on stdout at all. */
  async function expectPaidOnce(orderNo: string, amountFen: number): Promise<void> {
    await expect.poll(() => printedFor(orderNo).length).toBeGreaterThan(0);
    expect(printedFor(orderNo)).toEqual([JSON.stringify({ event: "paid", orderNo, amountFen, gateway: "upaas" })]);
    expect(printed.filter((line) => !/^\{"event":"paid",/.test(line))).toEqual([]);
  }

  it("shows the order with the amount the server will charge, and one button per channel", async () => {
    const orderNo = newOrderNo(1234);
    const page = await openCheckout(orderNo);
    await expect.poll(() => page.locator("#amount").textContent()).toBe("¥12.34");
    expect(await page.locator("#channels button").evaluateAll((buttons) => buttons.map((b) => b.id))).toEqual([
      "pay-wechat",
      "pay-alipay",
      "pay-unionpay",
    ]);
    await page.close();
  });

  it("WeChat JSAPI: Pay shows paid, confirmed by the server, and onPaid printed once", async () => {
    const orderNo = newOrderNo(123);
    const page = await openCheckout(orderNo);
    await page.click("#pay-wechat");
    const notified = await paidBeforeFirstStatusRead(page, orderNo, () => answerSheet(page, "Pay"));
    expect(await settledResult(page)).toEqual({ status: "paid", text: "paid" });
    expect(notified(), "onPaid ran from the notify before the first status read").toBe(true);
    await expectPaidOnce(orderNo, 123);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}paid.png`, fullPage: true });
    await page.close();
  });

  it("Alipay: Pay shows paid and onPaid printed once", async () => {
    const orderNo = newOrderNo(88);
    const page = await openCheckout(orderNo);
    await page.click("#pay-alipay");
    const notified = await paidBeforeFirstStatusRead(page, orderNo, () => answerSheet(page, "Pay"));
    expect(await settledResult(page)).toEqual({ status: "paid", text: "paid" });
    expect(notified(), "onPaid ran from the notify before the first status read").toBe(true);
    await expectPaidOnce(orderNo, 88);
    await page.close();
  });

  it("UnionPay: redirects to the payment page, returns, and the resumed page shows paid", async () => {
    const orderNo = newOrderNo(5);
    const page = await openCheckout(orderNo);
    await page.click("#pay-unionpay");
    await page.waitForURL((url) => url.pathname.startsWith("/sandbox/"));
    const notified = await paidBeforeFirstStatusRead(page, orderNo, () => answerSheet(page, "Pay"));
    await page.waitForURL((url) => url.pathname === "/" && url.searchParams.get("orderNo") === orderNo);
    expect(await settledResult(page)).toEqual({ status: "paid", text: "paid" });
    expect(notified(), "onPaid ran from the notify before the first status read").toBe(true);
    await expectPaidOnce(orderNo, 5);
    await page.close();
  });

  it("Cancel in the wallet shows cancelled and pays nothing", async () => {
    const orderNo = newOrderNo(7);
    const page = await openCheckout(orderNo);
    await page.click("#pay-wechat");
    await answerSheet(page, "Cancel");
    expect(await settledResult(page)).toEqual({ status: "cancelled", text: "cancelled" });
    expect(printedFor(orderNo)).toEqual([]);
    await page.close();
  });

  it("Fail in the wallet shows the error and pays nothing", async () => {
    const orderNo = newOrderNo(9);
    const page = await openCheckout(orderNo);
    await page.click("#pay-alipay");
    await answerSheet(page, "Fail");
    const result = await settledResult(page);
    expect(result.status).toBe("error");
    expect(result.text).toMatch(/^bridge_failed: /);
    expect(printedFor(orderNo)).toEqual([]);
    await page.close();
  });
});
