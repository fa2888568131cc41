/**
 * `reconcile(request)`: a gateway's bill for a day against the store, in bounded memory. Both
 * sides are partitioned by hash(orderNo) (in memory while small, spilled to files in a temporary
 * folder past the row budget, re-split where a partition is still too large), each partition is
 * matched (match.ts), and only once the whole bill was read and matched are the mismatches —
 * kept in the spill until then — emitted and handed to `onMismatch`. A refused bill reports
 * nothing. The folder is removed however it ends.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BillRow } from "../../bills/contract.js";
import { InvalidRequestError } from "../../errors.js";
import type { Mismatch, ReconcileRequest, ReconcileResult } from "../../types.js";
import type { EngineContext } from "../context.js";
import { matchPartition, type MatchScope } from "./match.js";
import { checkBillRow, type OurRow } from "./rows.js";
import { resolveSettings, SPILL_FAN_OUT, type ReconcileSettings } from "./settings.js";
import { readBill, ourRows, unmatchedNotifies } from "./sources.js";
import { Partitioned } from "./spill.js";
import { Tally } from "./tally.js";

/** Levels of re-splitting at most: 32^4 partitions is past any day's bill. */
const MAX_DEPTH = 4;
/** Rows between two onProgress calls. */
const PROGRESS_EVERY = 5_000;

interface Join {
  readonly dir: string;
  readonly settings: ReconcileSettings;
  readonly scope: MatchScope;
  readonly signal: AbortSignal | undefined;
}

export class ReconcileService {
  readonly #ctx: EngineContext;

  constructor(ctx: EngineContext) {
    this.#ctx = ctx;
  }

  async reconcile(request: ReconcileRequest): Promise<ReconcileResult> {
    const ctx = this.#ctx;
    const settings = resolveSettings(request);
    const { gateway, day, toleranceMs, rowBudget } = settings;
    if (!ctx.adapters.has(gateway)) throw new InvalidRequestError(`no gateway "${gateway}" is configured`, "gateway");
    const { signal } = request;
    signal?.throwIfAborted();
    const store = ctx.options.store;
    const dir = await mkdtemp(join(tmpdir(), "paybridge-reconcile-"));
    try {
      const counted = { billRows: 0, ourRows: 0 };
      const tick = (): void => {
        if ((counted.billRows + counted.ourRows) % PROGRESS_EVERY === 0) request.onProgress?.({ ...counted });
      };
      // Ours over the day ± tolerance: a bill row paid here just across midnight matches without a lookup.
      const ours = new Partitioned<OurRow>(join(dir, "ours"), rowBudget, SPILL_FAN_OUT, 0, (row) => row.o);
      for await (const row of ourRows(store, gateway, { from: day.from - toleranceMs, to: day.to + toleranceMs }, signal)) {
        await ours.add(row);
        counted.ourRows++;
        tick();
      }
      let bill = new Partitioned<BillRow>(join(dir, "bill"), rowBudget, SPILL_FAN_OUT, 0, (row) => row.orderNo);
      let tries = 0;
      await readBill(ctx, settings, request.bill, signal, async (rows) => {
        // A retry starts over: what an earlier try read stays behind in the folder.
        bill = new Partitioned<BillRow>(join(dir, `bill${++tries}`), rowBudget, SPILL_FAN_OUT, 0, (row) => row.orderNo);
        counted.billRows = 0;
        for await (const row of rows) {
          signal?.throwIfAborted();
          await bill.add(checkBillRow(row, day));
          counted.billRows++;
          tick();
        }
      });
      const unmatched = await unmatchedNotifies(store.inbox, gateway, ctx.merchantId, day);
      const tally = new Tally(settings.maxListed);
      const kept = new Partitioned<Mismatch>(join(dir, "mismatches"), rowBudget, 1, 0, (mismatch) => mismatch.orderNo);
      const scope: MatchScope = {
        gateway,
        merchantId: ctx.merchantId,
        day,
        lookup: async (orderNo) => {
          const record = await store.get(orderNo);
          return record?.gateway === gateway ? record : null;
        },
        unmatchedNotify: (orderNo) => unmatched.get(orderNo),
        report: async (mismatch) => {
          tally.mismatch(mismatch);
          await kept.add(mismatch);
        },
        tally,
      };
      await joinSides({ dir, settings, scope, signal }, ours, bill, 0);
      request.onProgress?.({ ...counted });
      // The whole bill matched: only now is anything reported.
      const result = tally.result(settings.date, gateway, ctx.merchantId);
      for (const part of await kept.parts()) {
        for await (const mismatch of part.rows()) {
          ctx.emit("reconcile.mismatch", mismatch);
          await request.onMismatch?.(mismatch);
        }
      }
      ctx.emit("reconcile.done", result);
      return result;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/** Matches partition by partition; one still larger than the budget is split again (seeded anew), at most MAX_DEPTH deep. */
async function joinSides(run: Join, ours: Partitioned<OurRow>, bill: Partitioned<BillRow>, depth: number): Promise<void> {
  const budget = run.settings.rowBudget;
  // Both sides must be split alike, or not at all.
  if (ours.spilled || bill.spilled) {
    await ours.spill();
    await bill.spill();
  }
  const [ourParts, billParts] = [await ours.parts(), await bill.parts()];
  for (let i = 0; i < ourParts.length; i++) {
    run.signal?.throwIfAborted();
    const [ourPart, billPart] = [ourParts[i]!, billParts[i]!];
    if ((ourPart.count > budget || billPart.count > budget) && depth < MAX_DEPTH) {
      const prefix = join(run.dir, `l${depth + 1}p${i}`);
      const subOurs = new Partitioned<OurRow>(`${prefix}-ours`, budget, SPILL_FAN_OUT, depth + 1, (row) => row.o);
      const subBill = new Partitioned<BillRow>(`${prefix}-bill`, budget, SPILL_FAN_OUT, depth + 1, (row) => row.orderNo);
      await subOurs.spill();
      await subBill.spill();
      for await (const row of ourPart.rows()) await subOurs.add(row);
      for await (const row of billPart.rows()) await subBill.add(row);
      await joinSides(run, subOurs, subBill, depth + 1);
      continue;
    }
    await matchPartition(run.scope, ourPart.rows(), billPart.rows());
  }
}
