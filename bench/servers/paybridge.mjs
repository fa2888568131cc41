/**
 * paybridge (dist) mounted at /pay, every channel routed to the bench gateway on the sandbox.
 * Config: { sandboxUrl, publicUrl, gateway, amountFen, store?: { kind: "redis", url, keyPrefix } | { kind: "postgres" | "mysql", url }, merchants? }
 * (a SQL store is migrated at start, as each instance of a deployment may do).
 * With `merchants: N`, it serves N merchants `m0`…`m<N-1>` (lib/merchants.mjs), each with its own
 * adapter of the bench gateway (the sandbox's keys), an order's merchant from its number, setups cached for the run.
 * Handler `paidCounts`: onPaid calls per order. The first few warnings and errors go to stderr.
 */
import express from "express";
import { closeServer, listenOnLoopback, serveParent } from "../lib/child.mjs";
import { MERCHANT_ID, merchantOf } from "../lib/merchants.mjs";
import { distFiles } from "../lib/paths.mjs";

const { paybridge, RedisOrderStore, PostgresOrderStore, MySqlOrderStore } = await import(distFiles.middleware);
const { sandboxAdapters } = await import(distFiles.sandbox);

const PRINTED_LOG_LINES = 5;

/** Long enough that no merchant's setup is loaded again during a run: the resolver is cached. */
const MERCHANT_CACHE_TTL_MS = 60 * 60 * 1000;

serveParent(async ({ sandboxUrl, publicUrl, gateway, amountFen, store: storeConfig, merchants }) => {
  const paidCounts = new Map();
  const logged = { warn: 0, error: 0 };
  const logAt = (level) => (message, fields) => {
    logged[level] += 1;
    if (logged[level] <= PRINTED_LOG_LINES) console.error(`[paybridge ${level}] ${message}`, fields ?? "");
  };
  // The store opens (and on close, closes) its own connection from the URL.
  const store = openStore(storeConfig);
  await store?.migrate?.();

  const app = express();
  app.use(
    "/pay",
    paybridge({
      ...(merchants
        ? {
            // Each merchant's setup is the gateway it pays through (as a service provider's
            // merchant is one mch_no), not all five sandbox adapters: those would be 13 KiB of
            // the bench's own objects per merchant, against ~1 KiB of paybridge's engine.
            merchants: async (merchantId) =>
              Number(MERCHANT_ID.exec(merchantId)?.[1] ?? merchants) < merchants ? { gateways: sandboxAdapters(sandboxUrl).filter((adapter) => adapter.id === gateway) } : null,
            merchantCacheTtlMs: MERCHANT_CACHE_TTL_MS,
          }
        : { gateways: sandboxAdapters(sandboxUrl) }),
      routing: () => gateway,
      publicUrl,
      resolveOrder: async ({ orderNo }) => ({ amountFen, ...(merchants ? { merchantId: merchantOf(orderNo, merchants) } : {}) }),
      onPaid: async (payment) => {
        paidCounts.set(payment.orderNo, (paidCounts.get(payment.orderNo) ?? 0) + 1);
      },
      statusTokenSecret: "paybridge-bench-status-token-secret-0123456789",
      ...(store ? { store } : {}),
      logger: { info: () => {}, warn: logAt("warn"), error: logAt("error") },
    }),
  );

  const { server, url } = await listenOnLoopback(app);
  return {
    url: `${url}/pay`,
    handlers: {
      paidCounts: () => Object.fromEntries(paidCounts),
    },
    close: async () => {
      await closeServer(server);
      await store?.close?.();
    },
  };
});

function openStore(config) {
  if (config?.kind === "redis") return new RedisOrderStore({ redis: config.url, keyPrefix: config.keyPrefix });
  if (config?.kind === "postgres") return new PostgresOrderStore({ postgres: config.url });
  if (config?.kind === "mysql") return new MySqlOrderStore({ mysql: config.url });
  return undefined;
}
