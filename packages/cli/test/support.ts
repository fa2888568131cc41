/**
 * The command line in this process, against fake operations: what it prints and the exit code,
 * for argument handling and output. test/bin.test.ts runs the built bin against real ones.
 */
import type { PaybridgeHandler, ReconcileRequest, ReconcileResult } from "@paybridge/server-middleware/web";
import type { Paybridge } from "../src/config.js";
import { main } from "../src/main.js";

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** Calls the fake operations received, in order: [name, ...args]. */
  calls: unknown[][];
  /** Whether the fake's dispose() ran. */
  disposed: boolean;
}

type Operations = Partial<Record<keyof PaybridgeHandler | "reconcile", (...args: never[]) => unknown>>;

export interface FakeOptions {
  operations?: Operations;
  gateways?: readonly string[];
  /** Columns presets by gateway id. */
  billColumns?: Record<string, unknown>;
  tty?: boolean;
  /** The config has `merchants` (default true, so --merchant passes). */
  merchants?: boolean;
  cwd?: string;
}

export async function run(argv: readonly string[], fake: FakeOptions = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const calls: unknown[][] = [];
  const result = { disposed: false };
  const recorded = Object.fromEntries(
    Object.entries(fake.operations ?? {}).map(([name, fn]) => [name, (...args: never[]) => (calls.push([name, ...args]), fn(...args))]),
  );
  const paybridge: Paybridge = {
    operations: recorded as unknown as PaybridgeHandler,
    merchants: fake.merchants ?? true,
    hasGateway: (gateway) => (fake.gateways ?? ["xiangma"]).includes(gateway),
    billColumns: async (gateway) => fake.billColumns?.[gateway] as never,
    dispose: async () => void (result.disposed = true),
  };
  const code = await main(argv, {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text), isTTY: fake.tty ?? false, columns: 80 },
    cwd: fake.cwd ?? process.cwd(),
  }, async () => paybridge);
  return { code, stdout: out.join(""), stderr: err.join(""), calls, disposed: result.disposed };
}

const ZERO = { payments: 0, paymentFen: 0, refunds: 0, refundFen: 0 };

/** A reconciliation's result with the given mismatches listed and counted. */
export function reconcileResult(request: ReconcileRequest, mismatches: ReconcileResult["mismatches"] = []): ReconcileResult {
  const counts = { missing_in_bill: 0, unknown_order: 0, unpaid_here: 0, amount_differs: 0, refund_missing_in_bill: 0, refund_unknown: 0, refund_differs: 0, status_differs: 0 };
  for (const mismatch of mismatches) counts[mismatch.kind] += 1;
  return {
    date: request.date,
    gateway: request.gateway,
    bill: { ...ZERO, payments: 2, paymentFen: 2_000, feeFen: 12 },
    ours: { ...ZERO, payments: 2, paymentFen: 2_000 },
    matched: { payments: 2 - mismatches.length, refunds: 0 },
    counts,
    mismatches,
    truncated: false,
  };
}
