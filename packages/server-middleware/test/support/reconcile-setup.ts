/**
 * The reconciliation's test setup: a host (Express router or web handler) over a ListingStore
 * with the fake gateway, optionally given a bill API, its events collected; the day 2026-03-02
 * (Asia/Shanghai) and bill rows written by hand, as a gateway's bill would list them.
 */
import type { BillRow } from "../../src/bills/contract.js";
import type { GatewayAdapter } from "../../src/gateways/contract.js";
import type { Mismatch, MismatchKind, PaybridgeOptions, ReconcileResult } from "../../src/types.js";
import { fakeGateway, STATUS_TOKEN_SECRET } from "./fake-adapter.js";
import { host, type Hosted, type HostName } from "./hosts.js";
import { ListingStore } from "./listing-store.js";

export const DAY = "2026-03-02";

/** A time on the reconciled day (or another: `2026-03-03 00:00:04`), Asia/Shanghai, as ISO. */
export function sh(time: string): string {
  const full = time.includes(" ") ? time : `${DAY} ${time}`;
  return new Date(`${full.replace(" ", "T")}+08:00`).toISOString();
}

export function payRow(line: number, orderNo: string, amountFen: number, time: string, fields: Partial<BillRow> = {}): BillRow {
  return { line, kind: "payment", orderNo, amountFen, at: Date.parse(sh(time)), status: "success", ...fields };
}

export function refundRow(line: number, orderNo: string, refundNo: string | undefined, amountFen: number, time: string, fields: Partial<BillRow> = {}): BillRow {
  return { line, kind: "refund", orderNo, ...(refundNo === undefined ? {} : { refundNo }), amountFen, at: Date.parse(sh(time)), status: "success", ...fields };
}

export interface ReconcileSetup {
  readonly store: ListingStore;
  readonly host: Hosted;
  /** reconcile.mismatch events, in emission order. */
  readonly emitted: Mismatch[];
  readonly done: ReconcileResult[];
  readonly warnings: string[];
}

export function reconcileSetup(options: { hostName?: HostName; fetchBill?: GatewayAdapter["fetchBill"]; extra?: Partial<PaybridgeOptions> } = {}): ReconcileSetup {
  const store = new ListingStore();
  const gateway = fakeGateway();
  const adapter: GatewayAdapter = { ...gateway.adapter, ...(options.fetchBill ? { fetchBill: options.fetchBill } : {}) };
  const warnings: string[] = [];
  const hosted = host(options.hostName ?? "web", {
    gateways: [adapter],
    routing: { wechat: "fake" },
    publicUrl: "https://shop.example/pay/",
    statusTokenSecret: STATUS_TOKEN_SECRET,
    resolveOrder: () => null,
    onPaid: () => {},
    store,
    logger: { info: () => {}, warn: (message) => void warnings.push(message), error: () => {} },
    ...options.extra,
  });
  const emitted: Mismatch[] = [];
  const done: ReconcileResult[] = [];
  hosted.events.on("reconcile.mismatch", (mismatch) => void emitted.push(mismatch));
  hosted.events.on("reconcile.done", (result) => void done.push(result));
  return { store, host: hosted, emitted, done, warnings };
}

/** Every kind at 0 but those given. */
export function countsOf(kinds: Partial<Record<MismatchKind, number>>): Record<MismatchKind, number> {
  return {
    missing_in_bill: 0,
    unknown_order: 0,
    unpaid_here: 0,
    amount_differs: 0,
    refund_missing_in_bill: 0,
    refund_unknown: 0,
    refund_differs: 0,
    status_differs: 0,
    ...kinds,
  };
}
