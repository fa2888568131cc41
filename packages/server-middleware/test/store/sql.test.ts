/**
 * What the SQL stores add to the OrderStore contract, on PostgreSQL (pg), PGlite and MariaDB:
 * the schema check before first use and migrate(), the columns reconciliation will query
 * (paid time, finish time, a row per refund), retention in bounded batches, and errors that
 * name the store when the database cannot be reached.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { createPool } from "mysql2/promise";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, OrderStoreError, StoreSchemaError } from "../../src/errors.js";
import { MySqlOrderStore } from "../../src/store/mysql.js";
import { PostgresOrderStore } from "../../src/store/postgres.js";
import type { SqlStoreBase, SqlStoreOptions } from "../../src/store/sql-base.js";
import { fullOrder, newOrder } from "./orders.js";
import { freePort } from "../../../../test/support/free-port.js";
import { mariadbServerMissing, startMariadbServer, type MariadbServer } from "../../../../test/support/mariadb-server.js";
import { postgresServerMissing, startPostgresServer, type PostgresServer } from "../../../../test/support/postgres-server.js";

/** A fresh, empty database: a store on it, and plain SQL on it for the test to look with. */
interface Fresh {
  store(options?: SqlStoreOptions): SqlStoreBase;
  sql(text: string): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

interface Dialect {
  name: string;
  migration: string;
  fresh(): Promise<Fresh>;
  /** A store whose database is not listening (none for PGlite, which is in the process). */
  unreachable?: () => Promise<SqlStoreBase>;
}

const DAY = 24 * 60 * 60 * 1000;
let databases = 0;

function describeSqlStore(skip: boolean, dialect: () => Dialect): void {
  describe.skipIf(skip)(`${skip ? "" : dialect().name}`, { timeout: 120_000 }, () => {
    it("refuses to run on a database without its schema, naming the migration; migrate() applies it once", async () => {
      const { migration, fresh } = dialect();
      const db = await fresh();
      const [a, b] = [db.store(), db.store()];
      const refused = await a.get("A1").catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(StoreSchemaError);
      expect(refused).toMatchObject({ migration, message: expect.stringContaining(migration) });
      expect((refused as Error).message).toMatch(/^(PostgresOrderStore|MySqlOrderStore): .*store\.migrate\(\)/);
      // Two instances starting at once: each migration is applied by one of them.
      const applied = await Promise.all([a.migrate(), b.migrate()]);
      expect(applied.flat().sort()).toEqual(["001_orders", "002_notifies", "003_listing"]);
      expect(await a.migrate()).toEqual([]);
      expect(await a.get("A1")).toBeNull();
      expect(await b.insert(newOrder({ orderNo: "A1" }))).toBe(true);

      // A database at schema 2 (before listing's indexes) refuses, naming migration 003; migrate()
      // applies it over the column and indexes it finds (as when run again after a failure).
      await db.sql("DELETE FROM paybridge_schema WHERE version = 3");
      await expect(db.store().get("A1")).rejects.toMatchObject({ name: "StoreSchemaError", migration: expect.stringContaining("003_listing.sql") });
      expect(await db.store().migrate()).toEqual(["003_listing"]);
      expect(await db.store().listPaid!({ from: 0, to: Date.now() }, 10)).toEqual([]);

      // A database at schema 1 (before the notify inbox) refuses, naming migration 002.
      await db.sql("DELETE FROM paybridge_schema WHERE version >= 2");
      await expect(db.store().get("A1")).rejects.toMatchObject({ name: "StoreSchemaError", migration: expect.stringContaining("002_notifies.sql") });
      // A schema older than the package (here: the record of every migration gone) refuses again.
      await db.sql("DELETE FROM paybridge_schema");
      await expect(db.store().get("A1")).rejects.toMatchObject({ name: "StoreSchemaError", migration });
      await db.close();
    });

    it("keeps the paid time, the finish time and a row per refund beside the record, for reconciliation", async () => {
      let now = Date.parse("2026-12-01T08:00:00.000Z");
      const db = await dialect().fresh();
      const store = db.store({ now: () => now });
      await store.migrate();
      const order = fullOrder({ status: "paid" });
      const { refunds: _none, ...pendingFields } = { ...order, status: "pending" as const, fulfilment: "none" as const };
      const { paidAt: _notYet, ...unpaid } = pendingFields;
      await store.insert(unpaid);
      expect(await db.sql(`SELECT status, paid_at, finished_at FROM paybridge_orders WHERE order_no = '${order.orderNo}'`)).toEqual([
        { status: "pending", paid_at: null, finished_at: null },
      ]);
      now += 60_000;
      await store.compareAndSet(order.orderNo, 1, { ...order, refunds: [] });
      const [paid] = await db.sql(`SELECT status, paid_at, finished_at FROM paybridge_orders WHERE order_no = '${order.orderNo}'`);
      expect({ ...paid, paid_at: time(paid!.paid_at), finished_at: time(paid!.finished_at) }).toEqual({
        status: "paid",
        paid_at: order.paidAt,
        finished_at: "2026-12-01T08:01:00.000Z",
      });
      now += 60_000;
      await store.compareAndSet(order.orderNo, 2, order);
      const refunds = await db.sql(`SELECT refund_no, amount_fen, status, requested_at, finished_at FROM paybridge_refunds WHERE order_no = '${order.orderNo}' ORDER BY refund_no`);
      expect(refunds.map((row) => ({ ...row, amount_fen: Number(row.amount_fen), requested_at: time(row.requested_at), finished_at: time(row.finished_at) }))).toEqual(
        order.refunds.map((refund) => ({ refund_no: refund.refundNo, amount_fen: refund.amountFen, status: refund.status, requested_at: refund.requestedAt, finished_at: refund.finishedAt ?? null })),
      );
      // In progress again (a refund processing): no finish time; deleting the order deletes its refund rows.
      const [inProgress] = await db.sql(`SELECT finished_at FROM paybridge_orders WHERE order_no = '${order.orderNo}'`);
      expect(inProgress).toEqual({ finished_at: null });
      expect(await store.compareAndDelete(order.orderNo, 3)).toBe(true);
      expect(await db.sql("SELECT refund_no FROM paybridge_refunds")).toEqual([]);
      await db.close();
    });

    it("prunes in batches of pruneBatchSize, at most 20 per call, so one sweep stays bounded", async () => {
      let now = Date.parse("2026-12-01T08:00:00.000Z");
      const db = await dialect().fresh();
      const store = db.store({ now: () => now, retentionMs: DAY, pruneBatchSize: 1 });
      await store.migrate();
      for (let i = 0; i < 23; i++) await store.insert(newOrder({ orderNo: `P${i}`, status: "closed" }));
      await store.insert(newOrder({ orderNo: "STAYS" }));
      now += DAY;
      expect(await store.prune()).toBe(20);
      expect(await store.prune()).toBe(3);
      expect(await store.prune()).toBe(0);
      expect(await db.sql("SELECT order_no FROM paybridge_orders")).toEqual([{ order_no: "STAYS" }]);
      await db.close();
    });

    it("keeps the longest key several merchants make (m:<32-character merchant>:<64-character order number>)", async () => {
      const db = await dialect().fresh();
      const store = db.store();
      await store.migrate();
      const orderNo = `m:${"M".repeat(32)}:${"9".repeat(64)}`;
      const order = newOrder({ orderNo });
      expect(await store.insert(order)).toBe(true);
      expect(await store.get(orderNo)).toEqual({ ...order, version: 1 });
      await db.close();
    });

    if (dialect().unreachable) {
      it("rejects every call with an error naming the store when the database cannot be reached", async () => {
        const store = await dialect().unreachable!();
        for (const call of [() => store.get("A1"), () => store.insert(newOrder()), () => store.migrate()]) {
          const error = await call().catch((caught: unknown) => caught);
          expect(error).toBeInstanceOf(OrderStoreError);
          expect((error as OrderStoreError).store).toBe(dialect().name.split(" ")[0]);
          expect((error as Error).message).toMatch(/^(PostgresOrderStore|MySqlOrderStore): (get|insert|migrate) failed: \S/);
        }
        await store.close();
      });
    }
  });
}

const time = (value: unknown): string | null => (value === null ? null : new Date(value instanceof Date ? value : `${String(value).replace(" ", "T")}Z`).toISOString());

let postgres: PostgresServer | undefined;
let mariadb: MariadbServer | undefined;
beforeAll(async () => {
  [postgres, mariadb] = await Promise.all([postgresServerMissing ? undefined : startPostgresServer(), mariadbServerMissing ? undefined : startMariadbServer()]);
});
afterAll(async () => {
  await Promise.all([postgres?.stop(), mariadb?.stop()]);
});

describeSqlStore(postgresServerMissing, () => ({
  name: "PostgresOrderStore (pg)",
  migration: "migrations/postgres/001_orders.sql",
  async fresh() {
    const url = await postgres!.createDatabase(`fresh_${(databases += 1)}`);
    const pool = new pg.Pool({ connectionString: url });
    return {
      store: (options = {}) => new PostgresOrderStore({ postgres: pool, ...options }),
      sql: async (text) => (await pool.query(text)).rows,
      close: () => pool.end(),
    };
  },
  unreachable: async () => new PostgresOrderStore({ postgres: `postgres://nobody@127.0.0.1:${await freePort()}/none` }),
}));

/** One in-memory PGlite for the file (starting one takes seconds): emptied for each test. */
let pglite: PGlite | undefined;
afterAll(() => pglite?.close());

describeSqlStore(false, () => ({
  name: "PostgresOrderStore (PGlite)",
  migration: "migrations/postgres/001_orders.sql",
  async fresh() {
    pglite ??= new PGlite();
    const db = pglite;
    await db.exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    return {
      store: (options = {}) => new PostgresOrderStore({ postgres: db, ...options }),
      sql: async (text) => (await db.query<Record<string, unknown>>(text)).rows,
      close: async () => undefined,
    };
  },
}));

describeSqlStore(mariadbServerMissing, () => ({
  name: "MySqlOrderStore (MariaDB)",
  migration: "migrations/mysql/001_orders.sql",
  async fresh() {
    const url = await mariadb!.createDatabase(`fresh_${(databases += 1)}`);
    const pool = createPool({ uri: url, dateStrings: true });
    return {
      store: (options = {}) => new MySqlOrderStore({ mysql: pool, ...options }),
      sql: async (text) => (await pool.query(text))[0] as Array<Record<string, unknown>>,
      close: () => pool.end(),
    };
  },
  unreachable: async () => new MySqlOrderStore({ mysql: `mysql://nobody@127.0.0.1:${await freePort()}/none` }),
}));

describe("SQL store options", () => {
  it("are checked, naming the option", () => {
    expect(() => new PostgresOrderStore({} as never)).toThrow(expect.objectContaining({ option: "postgres" }));
    expect(() => new MySqlOrderStore({ mysql: 42 } as never)).toThrow(expect.objectContaining({ option: "mysql" }));
    for (const retentionMs of [0, -1, 1.5]) expect(() => new PostgresOrderStore({ postgres: "postgres://x@127.0.0.1/x", retentionMs })).toThrow(ConfigError);
    expect(() => new MySqlOrderStore({ mysql: "mysql://x@127.0.0.1/x", pruneBatchSize: 0 })).toThrow(expect.objectContaining({ option: "pruneBatchSize" }));
  });

  it("close() leaves a database it was given open; pglite:<folder> keeps orders in that folder across a close and reopen", { timeout: 180_000 }, async () => {
    pglite ??= new PGlite();
    const onGiven = new PostgresOrderStore({ postgres: pglite });
    await onGiven.close();
    expect((await pglite.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    await expect(onGiven.get("A1")).rejects.toThrow(/PostgresOrderStore: get failed: the store is closed/);

    const folder = await mkdtemp(join(tmpdir(), "paybridge-pglite-"));
    const order = fullOrder();
    const first = new PostgresOrderStore({ postgres: `pglite:${folder}` });
    await first.migrate();
    await first.insert(order);
    await first.close();
    await expect(first.close()).resolves.toBeUndefined();
    const reopened = new PostgresOrderStore({ postgres: `pglite:${folder}` });
    expect(await reopened.get(order.orderNo)).toEqual({ ...order, version: 1 });
    await reopened.close();
    await rm(folder, { recursive: true, force: true });
  });
});
