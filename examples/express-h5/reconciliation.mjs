// @ts-check
/**
 * The demo's reconciliation (sandbox only): `GET /demo/reconciliation/report?date=yyyy-MM-dd`
 * matches the day's bill of the demo's gateway against the demo's orders and answers the page
 * `paybridge reconcile --report day.html` would write (@paybridge/cli's htmlReport). The bill
 * comes as a shop would get it: through the gateway's bill API where it has one (fubei, vbao),
 * else as the file the gateway's console serves (the sandbox's `/sandbox/bills/<gateway>.csv`),
 * read with the adapter's column preset. public/reconciliation.html shows it, with the
 * sandbox's switches (`POST /sandbox/control/bill-mismatch`) that put each kind of mismatch
 * into the bill. With shops, `?shop=` names whose day it is.
 */
import { htmlReport } from "@paybridge/cli";
import { readBillCsv } from "@paybridge/server-middleware";

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** `yyyy-MM-dd` naming a real day (not 2026-02-30). @param {string} date */
function isDay(date) {
  const time = DAY.test(date) ? Date.parse(`${date}T00:00:00Z`) : Number.NaN;
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(date);
}

/** Today in Asia/Shanghai (UTC+8, no daylight saving), the day a bill is for. */
export function shanghaiToday(now = Date.now()) {
  return new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * @param {{
 *   pay: import("@paybridge/server-middleware").PaybridgeRouter,
 *   sandboxUrl: string,
 *   adapterFor: (shop: string | undefined) => import("@paybridge/server-middleware").GatewayAdapter | undefined,
 *   log: (message: string) => void,
 * }} parts
 * @returns {import("express").RequestHandler}
 */
export function reconciliationReport({ pay, sandboxUrl, adapterFor, log }) {
  return async (req, res) => {
    const date = typeof req.query.date === "string" && req.query.date !== "" ? req.query.date : shanghaiToday();
    const shop = typeof req.query.shop === "string" ? req.query.shop : undefined;
    const adapter = adapterFor(shop);
    if (!isDay(date) || !adapter) {
      res.status(400).type("text/plain").send(adapter ? "date must be yyyy-MM-dd" : "unknown shop");
      return;
    }
    const viaApi = Boolean(adapter.fetchBill || adapter.fetchBillFile);
    const columns = adapter.billColumns;
    if (!viaApi && !columns) {
      res.status(501).type("text/plain").send(`no bill source for ${adapter.id} here: no bill API and no console file preset (fubei's service-provider bills are not built)`);
      return;
    }
    try {
      const bill = viaApi || !columns ? undefined : await consoleBill(`${sandboxUrl}/bills/${adapter.id}.csv?date=${date}`, columns, date);
      const result = await pay.reconcile({ date, gateway: adapter.id, ...(shop ? { merchantId: shop } : {}), ...(bill ? { bill } : {}) });
      res.type("html").send(htmlReport(result));
    } catch (error) {
      // Our words only: a bill's or gateway's text may be anything.
      const code = typeof (/** @type {{ code?: unknown }} */ (error)?.code) === "string" ? String(/** @type {{ code: string }} */ (error).code) : "internal";
      log(`[demo] reconciliation of ${date} failed: ${error instanceof Error ? error.name : typeof error} (${code})`);
      res.status(502).type("text/plain").send(`the reconciliation failed (${code}); the server log says more`);
    }
  };
}

/**
 * The day's bill file as the sandbox's console serves it, read with the adapter's columns.
 * @param {string} url
 * @param {import("@paybridge/server-middleware").BillColumns} columns
 * @param {string} date
 */
async function consoleBill(url, columns, date) {
  const response = await fetch(url);
  if (response.status !== 200 || !response.body) throw Object.assign(new Error("bill download failed"), { code: "bill_download" });
  // Streamed: readBillCsv bounds each line and the row count itself.
  return readBillCsv(response.body, { columns, date });
}
