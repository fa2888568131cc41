/**
 * An order store in PostgreSQL (through `pg`), or in an embedded PGlite database kept in a
 * folder, so orders survive restarts and several instances share them. Each record is one row:
 * the whole record as jsonb plus indexed columns (store/sql-record.ts); compare-and-set is one
 * `UPDATE … WHERE order_no = $1 AND version = $2`, which PostgreSQL runs atomically per row. The
 * refund rows are written in the same statement. Schema: migrations/postgres/ (store/sql-schema.ts).
 *
 * pg and @electric-sql/pglite are optional peer dependencies: imported only as types here, and
 * loaded with a dynamic import only when the store has to open its own connection.
 */
import { ConfigError } from "../errors.js";
import type { OrderRecord, OrderStore } from "./contract.js";
import { SqlStoreBase, type SqlPage, type SqlStoreOptions } from "./sql-base.js";
import { PAID_STATUS_LIST, readRecord, type RecordColumns } from "./sql-record.js";
import type { Migration } from "./sql-schema.js";

/** A query's answer as pg and PGlite give it. */
export interface PostgresResult {
  rows: unknown[];
}

/** What the store calls on a pg `Pool` (declared here, so projects without pg type-check too). */
export interface PostgresPool {
  query(text: string, values?: unknown[]): Promise<PostgresResult>;
  connect(): Promise<{ query(text: string, values?: unknown[]): Promise<PostgresResult>; release(error?: Error | boolean): void }>;
  end(): Promise<void>;
}

/** What the store calls on a PGlite instance. */
export interface PGliteDatabase {
  query(text: string, params?: unknown[]): Promise<PostgresResult>;
  transaction<T>(callback: (tx: { query(text: string, params?: unknown[]): Promise<PostgresResult> }) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface PostgresOrderStoreOptions extends SqlStoreOptions {
  /**
   * A pg `Pool` or a PGlite instance (both left open by close()); or a `postgres://` URL or pg
   * pool options to open a pool with; or `pglite:<folder>` for an embedded database in that folder.
   */
  postgres: PostgresPool | PGliteDatabase | string | object;
}

type Query = (text: string, values?: unknown[]) => Promise<Array<Record<string, unknown>>>;

interface Connection {
  query: Query;
  /** Runs `work` in one transaction on one connection. */
  transaction<T>(work: (query: Query) => Promise<T>): Promise<T>;
  end(): Promise<void>;
}

const ORDER_COLUMNS = "order_no, version, status, gateway, amount_fen, created_at, paid_at, finished_at, updated_at, record";

/** Writes the refund rows of the order the CTE `changed` names (none when it names none). */
const UPSERT_REFUNDS = `
  INSERT INTO paybridge_refunds (order_no, refund_no, amount_fen, status, requested_at, finished_at)
  SELECT changed.order_no, r.refund_no, r.amount_fen, r.status, r.requested_at, r.finished_at
  FROM changed, jsonb_to_recordset($10::jsonb) AS r (refund_no text, amount_fen bigint, status text, requested_at timestamptz, finished_at timestamptz)
  ON CONFLICT (order_no, refund_no) DO UPDATE SET status = EXCLUDED.status, finished_at = EXCLUDED.finished_at
  WHERE (paybridge_refunds.status, paybridge_refunds.finished_at) IS DISTINCT FROM (EXCLUDED.status, EXCLUDED.finished_at)`;

const INSERT = `
  WITH changed AS (
    INSERT INTO paybridge_orders (${ORDER_COLUMNS})
    VALUES ($1, 1, $2, $3, $4, $5, $6, CASE WHEN $7::boolean THEN $8::timestamptz END, $8, $9::jsonb)
    ON CONFLICT (order_no) DO NOTHING
    RETURNING order_no
  ), refunds AS (${UPSERT_REFUNDS})
  SELECT count(*)::int AS n FROM changed`;

const COMPARE_AND_SET = `
  WITH changed AS (
    UPDATE paybridge_orders SET version = version + 1, status = $2, gateway = $3, amount_fen = $4, created_at = $5, paid_at = $6,
      finished_at = CASE WHEN $7::boolean THEN COALESCE(finished_at, $8::timestamptz) END, updated_at = $8, record = $9::jsonb
    WHERE order_no = $1 AND version = $11
    RETURNING order_no
  ), refunds AS (${UPSERT_REFUNDS})
  SELECT count(*)::int AS n FROM changed`;

/** An arbitrary constant: the advisory lock that keeps two migrate() calls from interleaving. */
const MIGRATION_LOCK = 7_307_214_411;

export class PostgresOrderStore extends SqlStoreBase implements OrderStore {
  readonly #connection: Promise<Connection>;

  constructor(options: PostgresOrderStoreOptions) {
    super("PostgresOrderStore", "postgres", options);
    const { postgres } = options;
    if (postgres === undefined || postgres === null || (typeof postgres !== "string" && typeof postgres !== "object")) {
      throw new ConfigError("postgres", "must be a pg Pool, a PGlite instance, a postgres:// URL, pg pool options or pglite:<folder>");
    }
    this.#connection = connect(postgres);
    // A failed import surfaces on the first call; do not also crash the process meanwhile.
    this.#connection.catch(() => undefined);
  }

  protected override async queryVersion(): Promise<number> {
    return schemaVersion((await this.#connection).query);
  }

  protected override async applyMigration(migration: Migration): Promise<boolean> {
    return (await this.#connection).transaction(async (query) => {
      await query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
      if ((await schemaVersion(query)) >= migration.version) return false;
      for (const statement of migration.statements) await query(statement);
      return true;
    });
  }

  protected override async selectRecord(orderNo: string): Promise<OrderRecord | null> {
    const [row] = await (await this.#connection).query("SELECT version, record FROM paybridge_orders WHERE order_no = $1", [orderNo]);
    return row ? readRecord(row.record, row.version as number) : null;
  }

  protected override async insertRecord(orderNo: string, json: string, columns: RecordColumns, now: string): Promise<boolean> {
    const [row] = await (await this.#connection).query(INSERT, [orderNo, ...columnValues(columns, now), json, JSON.stringify(columns.refunds)]);
    return row?.n === 1;
  }

  protected override async updateRecord(orderNo: string, expectedVersion: number, json: string, columns: RecordColumns, now: string): Promise<boolean> {
    const values = [orderNo, ...columnValues(columns, now), json, JSON.stringify(columns.refunds), expectedVersion];
    const [row] = await (await this.#connection).query(COMPARE_AND_SET, values);
    return row?.n === 1;
  }

  protected override async deleteRecord(orderNo: string, expectedVersion: number): Promise<boolean> {
    const rows = await (await this.#connection).query("DELETE FROM paybridge_orders WHERE order_no = $1 AND version = $2 RETURNING 1", [orderNo, expectedVersion]);
    return rows.length === 1;
  }

  protected override async selectPending(createdBefore: string, limit: number, after?: { createdAt: string; orderNo: string }): Promise<string[]> {
    // A row comparison: past the cursor in (created_at, order_no) order, on the (status, created_at) index.
    const rows = await (await this.#connection).query(
      after
        ? "SELECT order_no FROM paybridge_orders WHERE status = 'pending' AND created_at < $1 AND (created_at, order_no) > ($3, $4) ORDER BY created_at, order_no LIMIT $2"
        : "SELECT order_no FROM paybridge_orders WHERE status = 'pending' AND created_at < $1 ORDER BY created_at, order_no LIMIT $2",
      after ? [createdBefore, limit, after.createdAt, after.orderNo] : [createdBefore, limit],
    );
    return rows.map((row) => row.order_no as string);
  }

  protected override async selectPaid(page: SqlPage): Promise<OrderRecord[]> {
    // On paybridge_orders_paid_listed (migration 003): one range of (paid_at, order_no), past the cursor.
    const rows = await this.#listPage(page, ["paid_at", 'order_no COLLATE "C"'], "paybridge_orders", `status IN (${PAID_STATUS_LIST})`);
    return rows.map((row) => readRecord(row.record, row.version as number));
  }

  protected override async selectRefunds(page: SqlPage): Promise<Array<{ order: OrderRecord; refundNo: string }>> {
    // On paybridge_refunds_listed (migration 003), an index on the refund's time itself.
    const order = ["COALESCE(r.finished_at, r.requested_at)", 'r.order_no COLLATE "C"', 'r.refund_no COLLATE "C"'];
    const rows = await this.#listPage(page, order, "paybridge_refunds r JOIN paybridge_orders USING (order_no)", "true", ", r.refund_no");
    return rows.map((row) => ({ order: readRecord(row.record, row.version as number), refundNo: row.refund_no as string }));
  }

  /** One page in the order of `order` (time first), from `from`, filtered by `where`, the cursor and the key prefix. */
  async #listPage(page: SqlPage, order: string[], from: string, where: string, extra = ""): Promise<Array<Record<string, unknown>>> {
    const values: unknown[] = [page.from, page.to, page.limit];
    const conditions = [`${order[0]} >= $1`, `${order[0]} < $2`, where];
    if (page.after) {
      const cursor = [page.after.at, page.after.orderNo, page.after.refundNo].slice(0, order.length);
      conditions.push(`(${order.join(", ")}) > (${cursor.map((value) => `$${values.push(value)}`).join(", ")})`);
    }
    if (page.keyPrefix !== undefined) conditions.push(`starts_with(order_no, $${values.push(page.keyPrefix)})`);
    const sql = `SELECT version, record${extra} FROM ${from} WHERE ${conditions.join(" AND ")} ORDER BY ${order.join(", ")} LIMIT $3`;
    return (await this.#connection).query(sql, values);
  }

  protected override async deleteFinished(finishedBy: string, limit: number): Promise<number> {
    // The outer condition again: an order in progress again since the inner select stays.
    const rows = await (await this.#connection).query(
      `DELETE FROM paybridge_orders WHERE order_no IN (
         SELECT order_no FROM paybridge_orders WHERE finished_at <= $1 ORDER BY finished_at LIMIT $2
       ) AND finished_at <= $1 RETURNING 1`,
      [finishedBy, limit],
    );
    return rows.length;
  }

  protected override async execute(sql: string, values: unknown[]): Promise<{ rows: Array<Record<string, unknown>>; affected: number }> {
    // A DELETE returns no rows here; its count comes back as the rows a RETURNING would give.
    const rows = await (await this.#connection).query(sql.startsWith("DELETE") ? `${sql} RETURNING 1` : sql, values);
    return { rows, affected: rows.length };
  }

  protected override async endConnection(): Promise<void> {
    await (await this.#connection).end();
  }
}

/**
 * The schema's version, 0 before the first migration: asked of pg_tables, not by an error (which
 * would end a transaction) nor by to_regclass (its catalog snapshot may predate the migration a
 * concurrent migrate() committed while this one waited for the advisory lock).
 */
async function schemaVersion(query: Query): Promise<number> {
  const [table] = await query(
    "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables WHERE tablename = 'paybridge_schema' AND schemaname = ANY (current_schemas(false))) AS present",
  );
  if (table?.present !== true) return 0;
  const [row] = await query("SELECT coalesce(max(version), 0)::int AS version FROM paybridge_schema");
  return Number(row?.version ?? 0);
}

/** $2..$8 of INSERT and COMPARE_AND_SET: status, gateway, amount, created, paid, finished?, now. */
function columnValues(columns: RecordColumns, now: string): unknown[] {
  return [columns.status, columns.gateway, columns.amountFen, columns.createdAt, columns.paidAt, columns.finished, now];
}

const isPGlite = (value: object): value is PGliteDatabase => typeof (value as { transaction?: unknown }).transaction === "function";
const isPool = (value: object): value is PostgresPool => typeof (value as { connect?: unknown }).connect === "function";

async function connect(target: PostgresPool | PGliteDatabase | string | object): Promise<Connection> {
  if (typeof target === "string" && target.startsWith("pglite:")) return pglite(await openPGlite(target.slice("pglite:".length)), true);
  if (typeof target === "object" && isPGlite(target)) return pglite(target, false);
  if (typeof target === "object" && isPool(target)) return pool(target, false);
  let Pool: typeof import("pg").Pool;
  try {
    ({ Pool } = await import("pg"));
  } catch (cause) {
    throw new ConfigError("postgres", `PostgresOrderStore needs the pg package (npm install pg): ${String(cause)}`);
  }
  const options = typeof target === "string" ? { connectionString: target } : (target as import("pg").PoolConfig);
  const opened = new Pool({ connectionTimeoutMillis: 10_000, ...options });
  // An idle connection the server dropped is replaced by the pool; unheard, it would crash the process.
  opened.on("error", () => undefined);
  return pool(opened, true);
}

async function openPGlite(folder: string): Promise<PGliteDatabase> {
  let PGlite: typeof import("@electric-sql/pglite").PGlite;
  try {
    ({ PGlite } = await import("@electric-sql/pglite"));
  } catch (cause) {
    throw new ConfigError("postgres", `pglite: needs the @electric-sql/pglite package (npm install @electric-sql/pglite): ${String(cause)}`);
  }
  const db = new PGlite(folder === "" ? undefined : folder);
  await db.waitReady;
  return db;
}

function pglite(db: PGliteDatabase, owned: boolean): Connection {
  const query: Query = async (text, values) => (await db.query(text, values)).rows as Array<Record<string, unknown>>;
  return {
    query,
    transaction: (work) => db.transaction((tx) => work(async (text, values) => (await tx.query(text, values)).rows as Array<Record<string, unknown>>)),
    end: () => (owned ? db.close() : Promise.resolve()),
  };
}

function pool(given: PostgresPool, owned: boolean): Connection {
  return {
    query: async (text, values) => (await given.query(text, values)).rows as Array<Record<string, unknown>>,
    async transaction(work) {
      const client = await given.connect();
      const query: Query = async (text, values) => (await client.query(text, values)).rows as Array<Record<string, unknown>>;
      try {
        await query("BEGIN");
        const result = await work(query);
        await query("COMMIT");
        client.release();
        return result;
      } catch (error) {
        await query("ROLLBACK").catch(() => undefined);
        client.release(error instanceof Error ? error : true);
        throw error;
      }
    },
    end: () => (owned ? given.end() : Promise.resolve()),
  };
}

