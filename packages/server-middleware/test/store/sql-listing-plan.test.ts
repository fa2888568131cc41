/**
 * The SQL stores list from an index, not a scan: each listing statement the store sends (cursor
 * and key prefix included) is explained on a table of 1,000 orders, and its plan ranges over the
 * listing index of migration 003 (PostgreSQL, PGlite) or InnoDB's (MariaDB).
 */
import { PGlite } from "@electric-sql/pglite";
import { createPool } from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OrderStore, RefundEntry } from "../../src/store/contract.js";
import { MySqlOrderStore, type MySqlPool } from "../../src/store/mysql.js";
import { PostgresOrderStore, type PGliteDatabase } from "../../src/store/postgres.js";
import { newOrder } from "./orders.js";
import { mariadbServerMissing, startMariadbServer, type MariadbServer } from "../../../../test/support/mariadb-server.js";

type Statement = { text: string; values: unknown[] };
const start = Date.UTC(2026, 0, 1);
const iso = (ms: number): string => new Date(ms).toISOString();

/** 1,000 paid orders a minute apart, each with a refund; then one page of each listing, past a cursor, under a prefix. */
async function listAll(store: OrderStore): Promise<void> {
  for (let i = 0; i < 1_000; i += 100) {
    await Promise.all(
      Array.from({ length: 100 }, (_, j) => {
        const at = start + (i + j) * 60_000;
        const refund: RefundEntry = { refundNo: "R1", amountFen: 1, status: "succeeded", requestedAt: iso(at), finishedAt: iso(at + 1_000), attempts: 1, fulfilment: "done" };
        return store.insert(newOrder({ orderNo: `m:A:P${i + j}`, status: "partially_refunded", paidAt: iso(at), fulfilment: "done", refunds: [refund] }));
      }),
    );
  }
  const window = { from: start + 600 * 60_000, to: start + 700 * 60_000 };
  expect(await store.listPaid!(window, 10, { at: window.from, orderNo: "m:A:P600" }, "m:A:")).toHaveLength(10);
  expect(await store.listRefunds!(window, 10, { at: window.from + 1_000, orderNo: "m:A:P600", refundNo: "R1" }, "m:A:")).toHaveLength(10);
}

const listing = (statements: Statement[]): Statement[] => statements.filter((statement) => /ORDER BY .*(paid_at|listed_at|COALESCE)/.test(statement.text));

describe("PostgresOrderStore (PGlite) listing plans", () => {
  it("range over the listing indexes", { timeout: 120_000 }, async () => {
    const db = new PGlite();
    const sent: Statement[] = [];
    const recording: PGliteDatabase = {
      query: (text, params) => (sent.push({ text, values: params ?? [] }), db.query(text, params)),
      transaction: (callback) => db.transaction(callback),
      close: () => db.close(),
    };
    const store = new PostgresOrderStore({ postgres: recording });
    await store.migrate();
    await listAll(store);
    await db.query("ANALYZE");
    const statements = listing(sent);
    expect(statements).toHaveLength(2);
    const plans = await Promise.all(statements.map(async ({ text, values }) => JSON.stringify((await db.query(`EXPLAIN (FORMAT JSON) ${text}`, values)).rows)));
    expect(plans[0]).toContain('"Index Name":"paybridge_orders_paid_listed"');
    expect(plans[1]).toContain('"Index Name":"paybridge_refunds_listed"');
    for (const plan of plans) expect(plan).not.toContain("Seq Scan");
    await db.close();
  });
});

describe.skipIf(mariadbServerMissing)("MySqlOrderStore (MariaDB) listing plans", () => {
  let server: MariadbServer;
  beforeAll(async () => {
    server = await startMariadbServer();
  });
  afterAll(() => server?.stop());

  it("range over the listing indexes", { timeout: 120_000 }, async () => {
    const pool = createPool({ uri: await server.createDatabase("plans") });
    const sent: Statement[] = [];
    const recording = {
      query: (text: string, values?: unknown[]) => (sent.push({ text, values: values ?? [] }), pool.query(text, values as never)),
      getConnection: () => pool.getConnection(),
      end: () => pool.end(),
    } as unknown as MySqlPool;
    const store = new MySqlOrderStore({ mysql: recording });
    await store.migrate();
    await listAll(store);
    await pool.query("ANALYZE TABLE paybridge_orders, paybridge_refunds");
    const statements = listing(sent);
    expect(statements).toHaveLength(2);
    const plans = await Promise.all(statements.map(async ({ text, values }) => JSON.stringify((await pool.query(`EXPLAIN FORMAT=JSON ${text}`, values))[0])));
    expect(plans[0]).toMatch(/\\"key\\": \\"paybridge_orders_paid\\"/);
    expect(plans[1]).toMatch(/\\"key\\": \\"paybridge_refunds_listed\\"/);
    await pool.end();
  });
});
