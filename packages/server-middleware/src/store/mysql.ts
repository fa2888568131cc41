/**
 * An order store in MySQL 8 or MariaDB 10.5+ (through `mysql2`), so orders survive restarts and
 * several instances share them. Each record is one row: the whole record as JSON plus indexed
 * columns (store/sql-record.ts); compare-and-set is one `UPDATE … WHERE order_no = ? AND
 * version = ?`, which InnoDB runs atomically per row. A record with refunds is written with its
 * refund rows in one transaction. Schema: migrations/mysql/ (store/sql-schema.ts).
 *
 * mysql2 is an optional peer dependency: imported only as a type here, and loaded with a dynamic
 * import only when the store has to open its own pool.
 */
import { ConfigError } from "../errors.js";
import type { OrderRecord, OrderStore } from "./contract.js";
import { SqlStoreBase, type SqlPage, type SqlStoreOptions } from "./sql-base.js";
import { PAID_STATUS_LIST, readRecord, type RecordColumns } from "./sql-record.js";
import type { Migration } from "./sql-schema.js";

/** What the store calls on one connection of a `mysql2/promise` pool (declared here, so projects without mysql2 type-check too). */
export interface MySqlConnection {
  query(sql: string, values?: unknown): Promise<[unknown, unknown]>;
  beginTransaction(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  release(): void;
}

/** What the store calls on a `mysql2/promise` pool. */
export interface MySqlPool {
  query(sql: string, values?: unknown): Promise<[unknown, unknown]>;
  getConnection(): Promise<MySqlConnection>;
  end(): Promise<void>;
}

export interface MySqlOrderStoreOptions extends SqlStoreOptions {
  /**
   * A `mysql2/promise` pool, or a `mysql2` pool (its `.promise()` is used), left open by close();
   * or a `mysql://` URL or mysql2 pool options to open a pool with. The connection's charset must
   * be utf8mb4 (mysql2's default).
   */
  mysql: MySqlPool | string | object;
}

const ER_DUP_ENTRY = 1062;
const ER_NO_SUCH_TABLE = 1146;
/** A column or key a migration adds exists already: that statement applied before (its file is run again). */
const ALREADY_APPLIED = new Set([1060, 1061]);

const INSERT =
  "INSERT INTO paybridge_orders (order_no, version, status, gateway, amount_fen, created_at, paid_at, finished_at, updated_at, record) " +
  "VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?)";

const COMPARE_AND_SET =
  "UPDATE paybridge_orders SET version = version + 1, status = ?, gateway = ?, amount_fen = ?, created_at = ?, paid_at = ?, " +
  "finished_at = IF(?, COALESCE(finished_at, ?), NULL), updated_at = ?, record = ? WHERE order_no = ? AND version = ?";

const UPSERT_REFUNDS =
  "INSERT INTO paybridge_refunds (order_no, refund_no, amount_fen, status, requested_at, finished_at) VALUES ? " +
  "ON DUPLICATE KEY UPDATE status = VALUES(status), finished_at = VALUES(finished_at)";

export class MySqlOrderStore extends SqlStoreBase implements OrderStore {
  readonly #pool: Promise<MySqlPool>;
  /** Only a pool this store opened is ended by close(). */
  readonly #ownsPool: boolean;

  constructor(options: MySqlOrderStoreOptions) {
    super("MySqlOrderStore", "mysql", options);
    const { mysql } = options;
    if (mysql === undefined || mysql === null || (typeof mysql !== "string" && typeof mysql !== "object")) {
      throw new ConfigError("mysql", "must be a mysql2 pool, a mysql:// URL or mysql2 pool options");
    }
    this.#ownsPool = !isPool(mysql);
    this.#pool = isPool(mysql) ? Promise.resolve(promisePool(mysql)) : openPool(mysql);
    // A failed import surfaces on the first call; do not also crash the process meanwhile.
    this.#pool.catch(() => undefined);
  }

  protected override async queryVersion(): Promise<number> {
    return schemaVersion(await this.#pool);
  }

  protected override async applyMigration(migration: Migration): Promise<boolean> {
    // MySQL commits DDL statement by statement: a named lock keeps two migrate() calls apart,
    // and each file's statements may run again after a failure.
    const connection = await (await this.#pool).getConnection();
    try {
      await connection.query("SELECT GET_LOCK('paybridge_schema', 60)");
      try {
        if ((await schemaVersion(connection)) >= migration.version) return false;
        for (const statement of migration.statements) {
          await connection.query(statement).catch((error: unknown) => {
            if (!ALREADY_APPLIED.has((error as { errno?: number }).errno ?? 0)) throw error;
          });
        }
        return true;
      } finally {
        await connection.query("SELECT RELEASE_LOCK('paybridge_schema')");
      }
    } finally {
      connection.release();
    }
  }

  protected override async selectRecord(orderNo: string): Promise<OrderRecord | null> {
    const [rows] = await (await this.#pool).query("SELECT version, record FROM paybridge_orders WHERE order_no = ?", [orderNo]);
    const [row] = rows as Array<{ version: number; record: unknown }>;
    return row ? readRecord(row.record, row.version) : null;
  }

  protected override async insertRecord(orderNo: string, json: string, columns: RecordColumns, now: string): Promise<boolean> {
    const values = [orderNo, ...columnValues(columns), columns.finished ? datetime(now) : null, datetime(now), json];
    try {
      await this.#write(columns, orderNo, (run) => run(INSERT, values).then(() => true));
      return true;
    } catch (error) {
      if ((error as { errno?: unknown }).errno === ER_DUP_ENTRY) return false;
      throw error;
    }
  }

  protected override async updateRecord(orderNo: string, expectedVersion: number, json: string, columns: RecordColumns, now: string): Promise<boolean> {
    const values = [...columnValues(columns), columns.finished, datetime(now), datetime(now), json, orderNo, expectedVersion];
    return this.#write(columns, orderNo, async (run) => affectedRows(await run(COMPARE_AND_SET, values)) === 1);
  }

  protected override async deleteRecord(orderNo: string, expectedVersion: number): Promise<boolean> {
    const [result] = await (await this.#pool).query("DELETE FROM paybridge_orders WHERE order_no = ? AND version = ?", [orderNo, expectedVersion]);
    return affectedRows(result) === 1;
  }

  protected override async selectPending(createdBefore: string, limit: number, after?: { createdAt: string; orderNo: string }): Promise<string[]> {
    // Spelt out, not a row comparison: MariaDB uses the (status, created_at) index for this form.
    const [rows] = await (await this.#pool).query(
      after
        ? "SELECT order_no FROM paybridge_orders WHERE status = 'pending' AND created_at < ? AND (created_at > ? OR (created_at = ? AND order_no > ?)) ORDER BY created_at, order_no LIMIT ?"
        : "SELECT order_no FROM paybridge_orders WHERE status = 'pending' AND created_at < ? ORDER BY created_at, order_no LIMIT ?",
      after ? [datetime(createdBefore), datetime(after.createdAt), datetime(after.createdAt), after.orderNo, limit] : [datetime(createdBefore), limit],
    );
    return (rows as Array<{ order_no: string }>).map((row) => row.order_no);
  }

  protected override async selectPaid(page: SqlPage): Promise<OrderRecord[]> {
    // On paybridge_orders_paid: InnoDB's secondary index ends with the primary key, (paid_at, order_no).
    const rows = await this.#listPage(page, ["paid_at", "order_no"], "paybridge_orders", `status IN (${PAID_STATUS_LIST})`);
    return rows.map((row) => readRecord(row.record, row.version as number));
  }

  protected override async selectRefunds(page: SqlPage): Promise<Array<{ order: OrderRecord; refundNo: string }>> {
    // On paybridge_refunds_listed (migration 003): listed_at is the refund's time, kept by the database.
    const rows = await this.#listPage(page, ["r.listed_at", "r.order_no", "r.refund_no"], "paybridge_refunds r JOIN paybridge_orders o ON o.order_no = r.order_no", "TRUE", ", r.refund_no");
    return rows.map((row) => ({ order: readRecord(row.record, row.version as number), refundNo: row.refund_no as string }));
  }

  /**
   * One page in the order of `order` (time first), from `from`, filtered by `where`, the cursor
   * and the key prefix. The cursor is spelt out, not a row comparison: MariaDB ranges an index on it.
   */
  async #listPage(page: SqlPage, order: string[], from: string, where: string, extra = ""): Promise<Array<Record<string, unknown>>> {
    const values: unknown[] = [datetime(page.from), datetime(page.to)];
    const conditions = [`${order[0]} >= ?`, `${order[0]} < ?`, where];
    if (page.after) {
      const cursor = [datetime(page.after.at), page.after.orderNo, page.after.refundNo].slice(0, order.length);
      // (a, b, c) > (x, y, z) as a > x OR (a = x AND (b > y OR (b = y AND c > z))).
      let past = "";
      for (let i = order.length - 1; i >= 0; i--) {
        past = i === order.length - 1 ? `${order[i]} > ?` : `${order[i]} > ? OR (${order[i]} = ? AND (${past}))`;
      }
      conditions.push(`(${past})`);
      values.push(...cursor.flatMap((value, i) => (i < cursor.length - 1 ? [value, value] : [value])));
    }
    if (page.keyPrefix !== undefined) {
      conditions.push(`LEFT(${order[1]}, ?) = ?`);
      values.push(page.keyPrefix.length, page.keyPrefix);
    }
    values.push(page.limit);
    const sql = `SELECT version, record${extra} FROM ${from} WHERE ${conditions.join(" AND ")} ORDER BY ${order.join(", ")} LIMIT ?`;
    return (await (await this.#pool).query(sql, values))[0] as Array<Record<string, unknown>>;
  }

  protected override async deleteFinished(finishedBy: string, limit: number): Promise<number> {
    const [result] = await (await this.#pool).query("DELETE FROM paybridge_orders WHERE finished_at <= ? ORDER BY finished_at LIMIT ?", [
      datetime(finishedBy),
      limit,
    ]);
    return affectedRows(result);
  }

  protected override async execute(sql: string, values: unknown[]): Promise<{ rows: Array<Record<string, unknown>>; affected: number }> {
    const [result] = await (await this.#pool).query(sql, values);
    return Array.isArray(result) ? { rows: result as Array<Record<string, unknown>>, affected: 0 } : { rows: [], affected: affectedRows(result) };
  }

  protected override async endConnection(): Promise<void> {
    if (this.#ownsPool) await (await this.#pool).end();
  }

  /**
   * Runs the order's write; with refunds, in one transaction with their rows, written only if
   * the order's was (`write` resolved true).
   */
  async #write(columns: RecordColumns, orderNo: string, write: (run: Run) => Promise<boolean>): Promise<boolean> {
    const pool = await this.#pool;
    if (columns.refunds.length === 0) return write(async (sql, values) => (await pool.query(sql, values))[0]);
    const connection = await pool.getConnection();
    try {
      await connection.beginTransaction();
      const written = await write(async (sql, values) => (await connection.query(sql, values))[0]);
      if (written) {
        const rows = columns.refunds.map((refund) => [orderNo, refund.refund_no, refund.amount_fen, refund.status, datetime(refund.requested_at), refund.finished_at && datetime(refund.finished_at)]);
        await connection.query(UPSERT_REFUNDS, [rows]);
      }
      await connection.commit();
      return written;
    } catch (error) {
      await connection.rollback().catch(() => undefined);
      throw error;
    } finally {
      connection.release();
    }
  }
}

type Run = (sql: string, values: unknown[]) => Promise<unknown>;

/** status, gateway, amount, created, paid: the first columns both writes set. */
function columnValues(columns: RecordColumns): unknown[] {
  return [columns.status, columns.gateway, columns.amountFen, datetime(columns.createdAt), columns.paidAt && datetime(columns.paidAt)];
}

/** An ISO 8601 UTC time as DATETIME(3) text: no driver or session time zone touches it. */
function datetime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

function affectedRows(result: unknown): number {
  return Number((result as { affectedRows?: unknown }).affectedRows ?? 0);
}

async function schemaVersion(runner: { query(sql: string): Promise<[unknown, unknown]> }): Promise<number> {
  try {
    const [rows] = await runner.query("SELECT COALESCE(MAX(version), 0) AS version FROM paybridge_schema");
    return Number((rows as Array<{ version: unknown }>)[0]?.version ?? 0);
  } catch (error) {
    if ((error as { errno?: unknown }).errno === ER_NO_SUCH_TABLE) return 0; // never migrated
    throw error;
  }
}

function isPool(value: unknown): value is MySqlPool | { promise(): MySqlPool } {
  return typeof value === "object" && value !== null && typeof (value as { getConnection?: unknown }).getConnection === "function";
}

/** A callback-style mysql2 pool has `.promise()`; a promise pool is used as it is. */
function promisePool(given: MySqlPool | { promise(): MySqlPool }): MySqlPool {
  return "promise" in given && typeof given.promise === "function" ? given.promise() : (given as MySqlPool);
}

async function openPool(target: string | object): Promise<MySqlPool> {
  let createPool: typeof import("mysql2/promise").createPool;
  try {
    ({ createPool } = await import("mysql2/promise"));
  } catch (cause) {
    throw new ConfigError("mysql", `MySqlOrderStore needs the mysql2 package (npm install mysql2): ${String(cause)}`);
  }
  const options = typeof target === "string" ? { uri: target } : (target as import("mysql2/promise").PoolOptions);
  return createPool({ connectTimeout: 10_000, charset: "utf8mb4", ...options }) as unknown as MySqlPool;
}
