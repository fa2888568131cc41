/**
 * What the PostgreSQL and MySQL stores share: their options, the schema check before first use,
 * migrate(), retention in bounded batches, and errors that name the store. Each store supplies
 * its own statements (the protected methods).
 */
import { ConfigError, OrderStoreError } from "../errors.js";
import type { ListCursor, ListedRefund, OrderRecord, OrderStore, PendingCursor, TimeWindow } from "./contract.js";
import { checkListArgs } from "./listing.js";
import { DEFAULT_RETENTION_MS } from "./retention.js";
import { SqlNotifyInbox, type SqlExecute } from "./sql-inbox.js";
import { columnsOf, readRecord, recordJson, type RecordColumns } from "./sql-record.js";
import { migrations, pending, requireSchema, type Migration, type SqlDialect } from "./sql-schema.js";

export interface SqlStoreOptions {
  /** A finished order is kept this long after it finished, in ms; prune() drops it after. Default 30 days. */
  retentionMs?: number | undefined;
  /** prune() deletes at most this many orders per statement (and at most 20 statements per call). Default 500. */
  pruneBatchSize?: number | undefined;
  /** The clock, in epoch ms (tests). Default Date.now. */
  now?: (() => number) | undefined;
}

const DEFAULT_PRUNE_BATCH = 500;
/** Batches per prune() call: one expiry sweep stays bounded; the next sweep goes on. */
const MAX_PRUNE_BATCHES = 20;

type RecordFields = Omit<OrderRecord, "version">;

/** One listing page as the SQL statements take it: times ISO 8601 (UTC); the cursor's refundNo "" for orders. */
export interface SqlPage {
  from: string;
  to: string;
  limit: number;
  after: { at: string; orderNo: string; refundNo: string } | undefined;
  keyPrefix: string | undefined;
}

/** The times both databases can hold (MySQL's DATETIME: years 1000 to 9999); a window is clamped to them. */
const EARLIEST_MS = Date.UTC(1000, 0, 1);
const LATEST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const sqlTime = (ms: number): string => new Date(Math.min(Math.max(ms, EARLIEST_MS), LATEST_MS)).toISOString();

export abstract class SqlStoreBase implements OrderStore {
  readonly #name: string;
  readonly #dialect: SqlDialect;
  readonly #retentionMs: number;
  readonly #pruneBatch: number;
  readonly #now: () => number;
  /** Settles once the schema is known to be current; a failure is retried on the next call. */
  #ready: Promise<void> | undefined;
  #closed: Promise<void> | undefined;
  /** get and compareAndSet resolve a new object each time (contract.ts). */
  readonly recordsAreCopies = true;
  /** The notify inbox, in the same database (migration 002). */
  readonly inbox: SqlNotifyInbox;

  protected constructor(name: string, dialect: SqlDialect, options: SqlStoreOptions) {
    const { retentionMs = DEFAULT_RETENTION_MS, pruneBatchSize = DEFAULT_PRUNE_BATCH, now = Date.now } = options;
    if (!Number.isSafeInteger(retentionMs) || retentionMs <= 0) throw new ConfigError("retentionMs", "must be a positive whole number of ms");
    if (!Number.isSafeInteger(pruneBatchSize) || pruneBatchSize <= 0) throw new ConfigError("pruneBatchSize", "must be a positive whole number");
    this.#name = name;
    this.#dialect = dialect;
    this.#retentionMs = retentionMs;
    this.#pruneBatch = pruneBatchSize;
    this.#now = now;
    this.inbox = new SqlNotifyInbox(dialect, (operation, run) => this.#call(operation, run), (sql, values) => this.execute(sql, values));
  }

  protected abstract queryVersion(): Promise<number>;
  /** Applies one migration unless the database has it already (another caller won); true if applied. */
  protected abstract applyMigration(migration: Migration): Promise<boolean>;
  protected abstract selectRecord(orderNo: string): Promise<OrderRecord | null>;
  protected abstract insertRecord(orderNo: string, json: string, columns: RecordColumns, now: string): Promise<boolean>;
  protected abstract updateRecord(orderNo: string, expectedVersion: number, json: string, columns: RecordColumns, now: string): Promise<boolean>;
  protected abstract deleteRecord(orderNo: string, expectedVersion: number): Promise<boolean>;
  /** Pending orders created before `createdBefore`, oldest first, after `after` (creation time, order number) when given. */
  protected abstract selectPending(createdBefore: string, limit: number, after?: { createdAt: string; orderNo: string }): Promise<string[]>;
  /** Paid orders in the page's window, past its cursor, in (paid_at, order_no) order; from an index. */
  protected abstract selectPaid(page: SqlPage): Promise<OrderRecord[]>;
  /** Refunds (the order, and the refund number) by (their time, order_no, refund_no); from an index. */
  protected abstract selectRefunds(page: SqlPage): Promise<Array<{ order: OrderRecord; refundNo: string }>>;
  /** Deletes at most `limit` orders finished at or before `finishedBy`; resolves how many. */
  protected abstract deleteFinished(finishedBy: string, limit: number): Promise<number>;
  protected abstract endConnection(): Promise<void>;
  /** Runs one statement of the notify inbox. */
  protected abstract execute(...args: Parameters<SqlExecute>): ReturnType<SqlExecute>;

  get(orderNo: string): Promise<OrderRecord | null> {
    return this.#call("get", () => this.selectRecord(orderNo));
  }

  insert(record: RecordFields): Promise<boolean> {
    return this.#call("insert", () => {
      const json = recordJson(record, record.orderNo);
      return this.insertRecord(record.orderNo, json, columnsOf(record), this.#isoNow());
    });
  }

  compareAndSet(orderNo: string, expectedVersion: number, next: RecordFields): Promise<OrderRecord | null> {
    return this.#call("compareAndSet", async () => {
      // The key is the order number; a `next` naming another order must not move it.
      const json = recordJson(next, orderNo);
      const changed = await this.updateRecord(orderNo, expectedVersion, json, columnsOf(next), this.#isoNow());
      // Exactly what was stored: the JSON just written, read back as get() would.
      return changed ? readRecord(json, expectedVersion + 1) : null;
    });
  }

  compareAndDelete(orderNo: string, expectedVersion: number): Promise<boolean> {
    return this.#call("compareAndDelete", () => this.deleteRecord(orderNo, expectedVersion));
  }

  /** Pending orders created before `createdBefore` (epoch ms), oldest first, after the cursor when given. */
  pendingBefore(createdBefore: number, limit: number, after?: PendingCursor): Promise<string[]> {
    const cursor = after && { createdAt: new Date(after.createdAt).toISOString(), orderNo: after.orderNo };
    return this.#call("pendingBefore", () => this.selectPending(new Date(createdBefore).toISOString(), limit, cursor));
  }

  listPaid(window: TimeWindow, limit: number, after?: ListCursor, keyPrefix?: string): Promise<OrderRecord[]> {
    return this.#call("listPaid", () => this.selectPaid(this.#page(window, limit, after, keyPrefix)));
  }

  listRefunds(window: TimeWindow, limit: number, after?: ListCursor, keyPrefix?: string): Promise<ListedRefund[]> {
    return this.#call("listRefunds", async () => {
      const rows = await this.selectRefunds(this.#page(window, limit, after, keyPrefix));
      // The refund as the record (the source of truth) has it; its row is a copy written with it.
      return rows.flatMap(({ order, refundNo }) => {
        const refund = order.refunds?.find((entry) => entry.refundNo === refundNo);
        return refund ? [{ order, refund }] : [];
      });
    });
  }

  #page(window: TimeWindow, limit: number, after: ListCursor | undefined, keyPrefix: string | undefined): SqlPage {
    checkListArgs(window, limit, after);
    const cursor = after && { at: sqlTime(after.at), orderNo: after.orderNo, refundNo: after.refundNo ?? "" };
    return { from: sqlTime(window.from), to: sqlTime(window.to), limit, after: cursor, keyPrefix };
  }

  /** Deletes finished orders past `retentionMs`, in batches; resolves how many. */
  prune(): Promise<number> {
    return this.#call("prune", async () => {
      const finishedBy = new Date(this.#now() - this.#retentionMs).toISOString();
      let deleted = 0;
      for (let batch = 0; batch < MAX_PRUNE_BATCHES; batch++) {
        const count = await this.deleteFinished(finishedBy, this.#pruneBatch);
        deleted += count;
        if (count < this.#pruneBatch) break;
      }
      return deleted;
    });
  }

  /**
   * Brings the database's schema up to this package's: applies the migrations it lacks, in
   * order, each once however many instances call this at the same time. Resolves the names applied.
   */
  async migrate(): Promise<string[]> {
    try {
      const all = await migrations(this.#dialect);
      const applied: string[] = [];
      for (const migration of pending(all, await this.queryVersion())) {
        if (await this.applyMigration(migration)) applied.push(migration.name);
      }
      this.#ready = Promise.resolve();
      return applied;
    } catch (error) {
      throw this.#fault("migrate", error);
    }
  }

  /** Closes the connection this store opened (never a pool or database it was given); safe to call twice. */
  close(): Promise<void> {
    this.#closed ??= this.endConnection();
    return this.#closed;
  }

  /** Runs one operation once the schema is known current; every failure names the store. */
  async #call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      if (this.#closed) throw new Error("the store is closed");
      await this.#checkSchema();
      return await run();
    } catch (error) {
      throw this.#fault(operation, error);
    }
  }

  #checkSchema(): Promise<void> {
    if (!this.#ready) {
      const ready = (async () => requireSchema(this.#name, await migrations(this.#dialect), await this.queryVersion()))();
      this.#ready = ready;
      // Not cached when it failed: the database may be back, or migrated, by the next call.
      ready.catch(() => {
        if (this.#ready === ready) this.#ready = undefined;
      });
    }
    return this.#ready;
  }

  #fault(operation: string, error: unknown): OrderStoreError {
    if (error instanceof OrderStoreError) return error;
    const described = error instanceof Error ? error.message || (error as { code?: string }).code || error.name : String(error);
    return new OrderStoreError(this.#name, `${operation} failed: ${described}`, { cause: error });
  }

  #isoNow(): string {
    return new Date(this.#now()).toISOString();
  }
}
