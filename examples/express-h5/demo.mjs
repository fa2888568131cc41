// @ts-check
/**
 * The runnable demo: paybridge mounted at /pay, the gateway sandbox at /sandbox, an H5
 * checkout page at /. `startDemo()` is what server.mjs runs and what the tests start.
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import express from "express";
import { MySqlOrderStore, paybridge, PostgresOrderStore, RedisOrderStore } from "@paybridge/server-middleware";
import { createSandbox, sandboxAdapters, sandboxFubeiProvider } from "@paybridge/sandbox";
import { amountFenOf } from "./amount.mjs";
import { isGatewayId, realAdapter } from "./gateways.mjs";
import { PROVIDER_SHOPS, shopGateway, shopOf, SHOPS } from "./shops.mjs";
import { prometheusMetrics } from "./metrics.mjs";
import { reconciliationReport } from "./reconciliation.mjs";

/** The payer id the sandbox accepts; real gateways need the payer's own (see README). */
const SANDBOX_OPEN_ID = "sandbox-openid-0001";

/**
 * @typedef {object} DemoOptions
 * @property {number} [port] Default 3000; 0 picks a free port.
 * @property {string} [host] Default 127.0.0.1.
 * @property {string} [gateway] One of upaas, lianke, xiangma, fubei, vbao. Default upaas (all three channels).
 * @property {Readonly<Record<string, string | undefined>>} [env] Where PAYBRIDGE_* settings and credentials are read. Default process.env.
 * @property {(line: string) => void} [printLine] Receives each paid JSON line. Default: stdout.
 * @property {(message: string) => void} [log] Receives diagnostics. Default: stderr.
 * @property {boolean} [shops] Several shops in one process (sandbox only; see shops.mjs). Default: PAYBRIDGE_DEMO_SHOPS=1.
 */

/**
 * @typedef {object} RunningDemo
 * @property {string} url The demo's origin, e.g. http://127.0.0.1:3000.
 * @property {string} gateway
 * @property {boolean} sandbox Whether the gateway in use is the sandbox's.
 * @property {() => Promise<void>} close
 */

/** @param {DemoOptions} [options] @returns {Promise<RunningDemo>} */
export async function startDemo(options = {}) {
  const env = options.env ?? process.env;
  const gateway = options.gateway ?? env.PAYBRIDGE_GATEWAY ?? "upaas";
  if (!isGatewayId(gateway)) throw new Error(`unknown gateway "${gateway}": use upaas, lianke, xiangma, fubei or vbao`);
  const shops = options.shops ?? env.PAYBRIDGE_DEMO_SHOPS === "1";
  const real = shops ? null : realAdapter(gateway, env);
  if (real && !env.PAYBRIDGE_PUBLIC_URL) {
    throw new Error("set PAYBRIDGE_PUBLIC_URL (where the gateway reaches /pay) to use a real gateway");
  }
  const log = options.log ?? ((message) => void process.stderr.write(`${message}\n`));
  const printLine = options.printLine ?? ((line) => void process.stdout.write(`${line}\n`));
  const clientAssets = clientDistDirectory();

  // The sandbox adapters need the port, known only once listening: listen first, route after.
  const server = createServer();
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 3000, options.host ?? "127.0.0.1", () => resolve(undefined));
  });
  const address = /** @type {import("node:net").AddressInfo} */ (server.address());
  const url = `http://${address.address}:${address.port}`;
  const closeServer = () =>
    new Promise((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve(undefined)));
      server.closeAllConnections();
    });

  // Only without a real gateway: the sandbox's public key must never sit beside a real one.
  // It notifies this demo's router and nothing else (no POSTs to other services on the host).
  const sandbox = real ? null : createSandbox({ notifyBaseUrl: `${url}/pay/notify/` });
  // Orders in a database (PAYBRIDGE_DATABASE_URL) or Redis survive a restart and are shared by
  // several demo instances; without either, one instance keeps them in memory.
  /** @type {ReturnType<typeof storeFrom>} */
  let store;
  try {
    store = storeFrom(env);
    if (store && "migrate" in store) await store.migrate();
    const adapters = sandboxAdapters(`${url}/sandbox`);
    const adapter = real ?? findAdapter(adapters, gateway);
    /** @param {string} orderNo */
    // A shop's adapter: its gateway's, or for a provider's shop the provider key naming its merchant.
    /** @type {Map<string, import("@paybridge/server-middleware").GatewayAdapter>} */
    const providerAdapters = new Map();
    /** @param {string | undefined} shop */
    const shopAdapter = (shop) => {
      if (shop === undefined || !Object.hasOwn(SHOPS, shop)) return undefined;
      const merchantId = /** @type {Record<string, number | undefined>} */ (PROVIDER_SHOPS)[shop];
      if (merchantId === undefined) return findAdapter(adapters, SHOPS[/** @type {keyof typeof SHOPS} */ (shop)]);
      if (!providerAdapters.has(shop)) providerAdapters.set(shop, sandboxFubeiProvider(`${url}/sandbox`, merchantId));
      return providerAdapters.get(shop);
    };
    /** @param {string} orderNo */
    const adapterOf = (orderNo) => (shops ? (shopAdapter(shopOf(orderNo)) ?? findAdapter(adapters, gateway)) : adapter);
    // Before paybridge(): it takes its meter when it is built.
    const metricsRoute = prometheusMetrics();
    const common = {
      publicUrl: real ? String(env.PAYBRIDGE_PUBLIC_URL) : `${url}/pay`,
      statusTokenSecret: env.PAYBRIDGE_STATUS_TOKEN_SECRET ?? randomBytes(32).toString("hex"),
      /** @param {{ orderNo: string }} input */
      resolveOrder: ({ orderNo }) => ({
        amountFen: amountFenOf(orderNo),
        description: "paybridge demo",
        ...(real ? {} : { openId: SANDBOX_OPEN_ID }),
        ...(shops ? { merchantId: shopOf(orderNo) } : {}),
      }),
      /** @param {import("@paybridge/server-middleware").Payment} payment */
      onPaid: (payment) => {
        printLine(JSON.stringify({ event: "paid", ...(payment.merchantId ? { shop: payment.merchantId } : {}), orderNo: payment.orderNo, amountFen: payment.amountFen, gateway: payment.gateway }));
      },
      /** @param {import("@paybridge/server-middleware").Refund} refund */
      onRefunded: (refund) => {
        printLine(JSON.stringify({ event: "refunded", orderNo: refund.orderNo, refundNo: refund.refundNo, amountFen: refund.amountFen, gateway: refund.gateway }));
      },
      logger: stderrLogger(log),
      // The demo takes any order number, so one client could fill the order store with pending
      // orders: each address may create 30 orders a minute (req.ip is the socket's address; set
      // Express's "trust proxy" behind a proxy). A shop keys this by its session or user instead.
      createRateLimit: { clientKey: (/** @type {import("express").Request} */ req) => req.ip, max: 30, windowMs: 60_000 },
      ...(store ? { store } : {}),
    };
    // Shops: each merchant's setup is its own gateway (the sandbox's; rice's is the provider key naming its merchant).
    const pay = shops
      ? paybridge({ ...common, merchants: (shop) => { const own = shopAdapter(shop); return own ? { gateways: [own] } : null; }, routing: (order) => shopGateway(order.orderNo) ?? gateway })
      : paybridge({ ...common, gateways: [adapter], routing: () => gateway });
    // Sandbox only: the day's bill of the demo's gateway (or a shop's) against its orders.
    /** @param {string | undefined} shop */
    const adapterFor = (shop) => (shops ? shopAdapter(shop) : shop === undefined ? adapter : undefined);
    const reconciliation = real ? null : reconciliationReport({ pay, sandboxUrl: `${url}/sandbox`, adapterFor, log });
    server.on("request", demoApp({ pay, sandbox, adapterOf, clientAssets, log, metricsRoute, reconciliation }));
  } catch (error) {
    sandbox?.close();
    await Promise.all([closeServer(), store?.close()]);
    throw error;
  }

  log(`paybridge demo on ${url} (${shops ? `shops ${Object.entries(SHOPS).map(([shop, id]) => `${shop}: ${id}`).join(", ")}` : `gateway ${gateway}`}, ${real ? "real" : "sandbox"})`);
  return {
    url,
    gateway,
    sandbox: real === null,
    close: async () => {
      sandbox?.close();
      await closeServer();
      await store?.close();
    },
  };
}

/**
 * @param {{ pay: import("@paybridge/server-middleware").PaybridgeRouter, sandbox: import("express").Express | null, adapterOf: (orderNo: string) => import("@paybridge/server-middleware").GatewayAdapter, clientAssets: string, log: (message: string) => void, metricsRoute: import("express").RequestHandler, reconciliation: import("express").RequestHandler | null }} parts
 */
function demoApp({ pay, sandbox, adapterOf, clientAssets, log, metricsRoute, reconciliation }) {
  const sandboxMode = sandbox !== null;
  const app = express();
  app.disable("x-powered-by");
  app.use("/pay", pay);
  // Operations (README "Operations"): Prometheus scrapes /metrics; probes ask /healthz (503 when the store is down).
  app.get("/metrics", metricsRoute);
  app.get("/healthz", async (req, res) => {
    const health = await pay.health();
    res.status(health.ok ? 200 : 503).json(health);
  });
  if (sandbox) app.use("/sandbox", sandbox);
  // What the checkout page shows: the gateway, its channels, and the amount the server will charge.
  app.get("/demo/config", (req, res) => {
    const orderNo = typeof req.query.orderNo === "string" ? req.query.orderNo : undefined;
    const adapter = adapterOf(orderNo ?? "");
    res.json({
      gateway: adapter.id,
      sandbox: sandboxMode,
      channels: adapter.supports,
      ...(orderNo ? { order: { orderNo, amountFen: amountFenOf(orderNo) } } : {}),
    });
  });
  // DEMO ONLY, sandbox only: refunds are server-side (router.refund), never a browser route in
  // a real shop. The Refund button posts the order number; the server refunds what is left,
  // under one refund number per order, so a double click is one refund.
  if (sandboxMode) {
    app.post("/demo/refund", express.json({ limit: 1024 }), async (req, res) => {
      const orderNo = typeof req.body?.orderNo === "string" ? req.body.orderNo : "";
      try {
        res.json(await pay.refund({ merchantId: shopOf(orderNo), orderNo, refundNo: `${orderNo.slice(0, 57)}-refund`, reason: "demo refund" }));
      } catch (error) {
        const { status = 500, code = "internal", message = "refund failed" } = /** @type {{ status?: number, code?: string, message?: string }} */ (error);
        res.status(status).json({ error: { code, message } });
      }
    });
  }
  // The page public/reconciliation.html shows (sandbox only; a shop would run it from cron: the CLI).
  if (reconciliation) app.get("/demo/reconciliation/report", reconciliation);
  app.use("/assets", express.static(clientAssets));
  app.use(express.static(fileURLToPath(new URL("./public/", import.meta.url))));
  // Express's own handler would print the whole error (a body parser's carries the request
  // body) and answer an HTML stack trace: log the error's name, answer JSON.
  /** @type {import("express").ErrorRequestHandler} */
  const onError = (error, req, res, next) => {
    const name = error instanceof Error ? error.name : typeof error;
    const status = typeof error?.status === "number" && error.status >= 400 && error.status < 600 ? error.status : 500;
    log(`[demo] error ${name} on ${req.method} ${req.path} (HTTP ${status})`);
    if (res.headersSent) return next(error);
    res.status(status).json({ error: { code: status < 500 ? "invalid_request" : "internal", message: status < 500 ? "bad request" : "internal error" } });
  };
  app.use(onError);
  return app;
}

/**
 * The built client (dist/, with paybridge.iife.js and the sandbox bridges' IIFE), found
 * through the package so the demo serves what a merchant would install.
 */
function clientDistDirectory() {
  try {
    return dirname(createRequire(import.meta.url).resolve("@paybridge/client/iife"));
  } catch (cause) {
    throw new Error("the browser client is not built: run `npx pnpm@10 build` first", { cause });
  }
}

/**
 * The store PAYBRIDGE_DATABASE_URL names (`postgres://…`, `mysql://…`, `pglite:<folder>`), else
 * Redis at PAYBRIDGE_REDIS_URL, else none (paybridge's memory store).
 * @param {Readonly<Record<string, string | undefined>>} env
 * @returns {(PostgresOrderStore | MySqlOrderStore | RedisOrderStore) | undefined}
 */
function storeFrom(env) {
  const url = env.PAYBRIDGE_DATABASE_URL;
  if (url) {
    if (/^mysql:\/\//.test(url)) return new MySqlOrderStore({ mysql: url });
    if (/^(postgres(ql)?:\/\/|pglite:)/.test(url)) return new PostgresOrderStore({ postgres: url });
    throw new Error("PAYBRIDGE_DATABASE_URL must start with postgres://, mysql:// or pglite:");
  }
  return env.PAYBRIDGE_REDIS_URL ? new RedisOrderStore({ redis: env.PAYBRIDGE_REDIS_URL }) : undefined;
}

/**
 * @param {readonly import("@paybridge/server-middleware").GatewayAdapter[]} adapters
 * @param {string} id
 */
function findAdapter(adapters, id) {
  const adapter = adapters.find((candidate) => candidate.id === id);
  if (!adapter) throw new Error(`the sandbox has no ${id} adapter`);
  return adapter;
}

/** paybridge's logger, on stderr so stdout carries only the paid lines. */
function stderrLogger(/** @type {(message: string) => void} */ log) {
  /** @param {string} level */
  const at = (level) => (/** @type {string} */ message, /** @type {unknown} */ fields) =>
    log(`[paybridge] ${level} ${message}${fields === undefined ? "" : ` ${JSON.stringify(fields)}`}`);
  return { info: at("info"), warn: at("warn"), error: at("error") };
}
