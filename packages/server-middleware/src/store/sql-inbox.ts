/**
 * The notify inbox of the SQL stores (migration 002): one row per notify, the entry as JSON
 * text, listed by receipt time in pages by id. Every call goes through the store's own guard,
 * so an old schema or a lost database fails as the store's other calls do.
 */
import type { NotifyEntry, NotifyInbox, NotifyQuery } from "./contract.js";
import { queryBounds } from "./inbox-query.js";
import type { SqlDialect } from "./sql-schema.js";

/**
 * The latest time a bound is written as: 9999-12-31, the last day both databases read. Past it
 * JavaScript writes a six-digit `+275760-…` year, which PostgreSQL reads as a time zone.
 */
const LATEST_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Runs one statement; `affected` counts the rows a write changed. */
export type SqlExecute = (sql: string, values: unknown[]) => Promise<{ rows: Array<Record<string, unknown>>; affected: number }>;
/** The store's guard: the schema checked first, every failure naming the store. */
export type SqlGuard = <T>(operation: string, run: () => Promise<T>) => Promise<T>;

/** Rows one prune() statement deletes at most, and statements per call: one sweep stays bounded. */
const PRUNE_BATCH = 1_000;
const MAX_PRUNE_BATCHES = 20;

export class SqlNotifyInbox implements NotifyInbox {
  readonly #dialect: SqlDialect;
  readonly #guard: SqlGuard;
  readonly #execute: SqlExecute;

  constructor(dialect: SqlDialect, guard: SqlGuard, execute: SqlExecute) {
    this.#dialect = dialect;
    this.#guard = guard;
    this.#execute = execute;
  }

  put(entry: NotifyEntry): Promise<void> {
    const sql =
      this.#dialect === "postgres"
        ? "INSERT INTO paybridge_notifies (id, gateway, received_at, verdict, entry) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET verdict = EXCLUDED.verdict, entry = EXCLUDED.entry"
        : "INSERT INTO paybridge_notifies (id, gateway, received_at, verdict, entry) VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE verdict = VALUES(verdict), entry = VALUES(entry)";
    const values = [entry.id, entry.gateway, this.#time(entry.receivedAt), entry.verdict, JSON.stringify(entry)];
    return this.#guard("inbox.put", async () => void (await this.#execute(sql, values)));
  }

  get(id: string): Promise<NotifyEntry | null> {
    const sql = `SELECT entry FROM paybridge_notifies WHERE id = ${this.#placeholder(1)}`;
    return this.#guard("inbox.get", async () => {
      const [row] = (await this.#execute(sql, [id])).rows;
      return row ? (JSON.parse(String(row.entry)) as NotifyEntry) : null;
    });
  }

  async list(query: NotifyQuery): Promise<NotifyEntry[]> {
    const { since, until, limit } = queryBounds(query);
    const conditions = ["received_at >= ?", "received_at < ?"];
    const values: unknown[] = [this.#time(new Date(Math.min(since, LATEST_TIME)).toISOString()), this.#time(new Date(Math.min(until, LATEST_TIME)).toISOString())];
    const filter = (column: string, value: string | undefined): void => {
      if (value === undefined) return;
      conditions.push(`${column} ?`);
      values.push(value);
    };
    filter("gateway =", query.gateway);
    filter("verdict =", query.verdict);
    filter("id >", query.after);
    values.push(limit);
    const sql = this.#numbered(`SELECT entry FROM paybridge_notifies WHERE ${conditions.join(" AND ")} ORDER BY received_at, id LIMIT ?`);
    return this.#guard("inbox.list", async () => (await this.#execute(sql, values)).rows.map((row) => JSON.parse(String(row.entry)) as NotifyEntry));
  }

  prune(receivedBefore: number): Promise<number> {
    const before = this.#time(new Date(receivedBefore).toISOString());
    const sql =
      this.#dialect === "postgres"
        ? "DELETE FROM paybridge_notifies WHERE id IN (SELECT id FROM paybridge_notifies WHERE received_at < $1 ORDER BY received_at LIMIT $2)"
        : "DELETE FROM paybridge_notifies WHERE received_at < ? ORDER BY received_at LIMIT ?";
    return this.#guard("inbox.prune", async () => {
      let deleted = 0;
      for (let batch = 0; batch < MAX_PRUNE_BATCHES; batch++) {
        const { affected } = await this.#execute(sql, [before, PRUNE_BATCH]);
        deleted += affected;
        if (affected < PRUNE_BATCH) break;
      }
      return deleted;
    });
  }

  /** An ISO 8601 time as the dialect's column takes it (MySQL DATETIME(3): UTC, no `T`/`Z`). */
  #time(iso: string): string {
    return this.#dialect === "postgres" ? iso : `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
  }

  #placeholder(n: number): string {
    return this.#dialect === "postgres" ? `$${n}` : "?";
  }

  /** `?` placeholders numbered `$1…` for PostgreSQL. */
  #numbered(sql: string): string {
    let n = 0;
    return this.#dialect === "postgres" ? sql.replace(/\?/g, () => `$${(n += 1)}`) : sql;
  }
}
