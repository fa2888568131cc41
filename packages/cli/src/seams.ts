/**
 * Two functions of @paybridge/server-middleware that are built in parallel with this command:
 * `reconcile(request)` on the handler and `readBillCsv(source, options)`. Their types are
 * declared (ReconcileRequest/Result, BillColumns, BillRow); until a release has them, they are
 * looked up at run time here, and a server-middleware without them fails the reconcile command
 * with exit 4 and a message that says so. Once both ship, this file becomes two plain calls.
 */
import * as serverMiddleware from "@paybridge/server-middleware/web";
import type { BillColumns, BillRow, ReconcileRequest, ReconcileResult } from "@paybridge/server-middleware/web";
import { CliError, EXIT } from "./exit-codes.js";

export type Reconcile = (request: ReconcileRequest) => Promise<ReconcileResult>;

/** What readBillCsv is handed: the file's bytes as a stream. */
export type BillBytes = AsyncIterable<Uint8Array>;
export interface ReadBillCsvOptions {
  columns: BillColumns;
  date: string;
  merchant?: string;
}
export type ReadBillCsv = (source: BillBytes, options: ReadBillCsvOptions) => AsyncIterable<BillRow>;

const missing = (what: string): CliError =>
  new CliError(EXIT.failure, "unsupported", `this @paybridge/server-middleware has no ${what}: reconcile needs a version that has it`);

/** The handler's reconcile, when it has one. */
export function reconcileOf(operations: object): Reconcile {
  const reconcile = (operations as { reconcile?: unknown }).reconcile;
  if (typeof reconcile !== "function") throw missing("reconcile()");
  return (request) => (reconcile as Reconcile).call(operations, request);
}

/** The package's readBillCsv, when it exports one. */
export function billReader(): ReadBillCsv {
  const read = (serverMiddleware as unknown as { readBillCsv?: unknown }).readBillCsv;
  if (typeof read !== "function") throw missing("readBillCsv()");
  return read as ReadBillCsv;
}
