// @ts-check
/**
 * A shop server in its own process, for test/sql-restart.test.ts: paybridge (the built package)
 * on a PostgreSQL or MySQL store, with a small gateway adapter whose refunds go to the test's
 * gateway over HTTP. The test kills it with SIGKILL mid-work and starts it again on the same
 * database. What the merchant's hooks did is appended, one JSON line each, to SHOP_EVENTS_FILE
 * (written straight to the file, so a killed process loses none).
 *
 * Env: SHOP_DATABASE_URL (postgres://… or mysql://…), SHOP_GATEWAY_URL, SHOP_EVENTS_FILE,
 * SHOP_NOTIFY_KEY, SHOP_HANG_ON_PAID=1 (onPaid starts and never finishes).
 * Prints `listening <port>` once it serves, on 127.0.0.1.
 */
import { createHmac } from "node:crypto";
import { appendFileSync } from "node:fs";
import express from "express";
import { MySqlOrderStore, NotifyRejectedError, paybridge, PostgresOrderStore } from "../../packages/server-middleware/dist/index.js";

const env = process.env;
const databaseUrl = String(env.SHOP_DATABASE_URL);
const gatewayUrl = String(env.SHOP_GATEWAY_URL);
const key = String(env.SHOP_NOTIFY_KEY);
const event = (/** @type {Record<string, unknown>} */ fields) => appendFileSync(String(env.SHOP_EVENTS_FILE), `${JSON.stringify({ pid: process.pid, ...fields })}\n`);

const sign = (/** @type {string} */ orderNo, /** @type {number} */ amountFen) => createHmac("sha256", key).update(`${orderNo}|${amountFen}`).digest("hex");

/** @type {import("../../packages/server-middleware/dist/index.js").GatewayAdapter} */
const adapter = {
  id: "testpay",
  supports: { wechat: ["jsapi"] },
  async createOrder(input) {
    return { gatewayOrderNo: `G-${input.orderNo}`, action: { type: "redirect", url: `https://pay.example/${input.orderNo}` } };
  },
  verifyNotify(input) {
    const { orderNo, amountFen, sig } = JSON.parse(Buffer.from(input.rawBody).toString("utf8"));
    if (sig !== sign(orderNo, amountFen)) throw new NotifyRejectedError("bad signature");
    return { orderNo, amountFen, gatewayOrderNo: `G-${orderNo}`, outcome: "paid" };
  },
  notifyReply: { success: { status: 200, contentType: "text/plain", body: "OK" }, failure: { status: 200, contentType: "text/plain", body: "FAIL" } },
  async refundOrder(input, http) {
    const answer = await http({ url: `${gatewayUrl}/refund`, body: JSON.stringify({ orderNo: input.orderNo, refundNo: input.refundNo, amountFen: input.amountFen }) });
    return JSON.parse(answer.body);
  },
  async queryRefund(input, http) {
    const answer = await http({ url: `${gatewayUrl}/refund-query`, body: JSON.stringify({ orderNo: input.orderNo, refundNo: input.refundNo }) });
    return JSON.parse(answer.body);
  },
};

const store = databaseUrl.startsWith("mysql:") ? new MySqlOrderStore({ mysql: databaseUrl }) : new PostgresOrderStore({ postgres: databaseUrl });
await store.migrate();

const pay = paybridge({
  gateways: [adapter],
  routing: { wechat: "testpay" },
  publicUrl: "http://127.0.0.1/pay",
  statusTokenSecret: "sql-restart-test-secret-0123456789abcdef",
  resolveOrder: () => ({ amountFen: 1_000 }),
  // Short leases: a claim of a killed process is retaken a second later; a refund send's lease
  // (at least 2 × timeoutMs + 1 s) three seconds later.
  fulfilmentLeaseMs: 1_000,
  timeoutMs: 1_000,
  onPaid: async (payment) => {
    event({ event: "onPaid.start", orderNo: payment.orderNo });
    if (env.SHOP_HANG_ON_PAID === "1") await new Promise(() => {});
    event({ event: "onPaid.done", orderNo: payment.orderNo });
  },
  onRefunded: (refund) => event({ event: "onRefunded", orderNo: refund.orderNo, refundNo: refund.refundNo, amountFen: refund.amountFen }),
  store,
  logger: { info: () => {}, warn: () => {}, error: (message, fields) => process.stderr.write(`${message} ${JSON.stringify({ ...fields, err: undefined })}\n`) },
});

const app = express();
app.use("/pay", pay);
// The merchant's own back office: refunds are server-side only.
app.post("/admin/refund", express.json(), async (req, res) => {
  try {
    res.json(await pay.refund(req.body));
  } catch (error) {
    res.status(500).json({ error: /** @type {{ code?: string }} */ (error).code ?? String(error) });
  }
});
app.get("/admin/orders/:orderNo", async (req, res) => {
  res.json(await store.get(req.params.orderNo));
});
const server = app.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === "object" && address ? address.port : 0}\n`);
});
