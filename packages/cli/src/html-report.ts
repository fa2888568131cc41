/**
 * A reconciliation as one self-contained HTML page: the day's figures on both sides, the
 * count of each kind of mismatch, and the listed mismatches. No script, no outside resource;
 * every value is escaped (a bill's order numbers are the gateway's text).
 */
import type { Mismatch, MismatchKind, ReconcileResult, ReconcileTotals } from "@paybridge/server-middleware/web";
import { yuan } from "./format.js";

const KIND_MEANING: Record<MismatchKind, string> = {
  missing_in_bill: "paid here, not in the bill",
  unknown_order: "in the bill, unknown here",
  unpaid_here: "paid in the bill, not paid here",
  amount_differs: "paid amounts differ",
  refund_missing_in_bill: "refund here, not in the bill",
  refund_unknown: "refund in the bill, unknown here",
  refund_differs: "refund amounts differ",
  status_differs: "statuses disagree",
};

export function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const row = (cells: readonly unknown[], tag = "td"): string => `<tr>${cells.map((cell) => `<${tag}>${escapeHtml(cell)}</${tag}>`).join("")}</tr>`;

function totalsRows(result: ReconcileResult): string {
  const side = (name: string, totals: ReconcileTotals, fee?: number): unknown[] => [
    name,
    totals.payments,
    yuan(totals.paymentFen),
    totals.refunds,
    yuan(totals.refundFen),
    fee === undefined ? "" : yuan(fee),
  ];
  return [
    row(["", "payments", "paid (yuan)", "refunds", "refunded (yuan)", "fees (yuan)"], "th"),
    row(side("bill", result.bill, result.bill.feeFen)),
    row(side("paybridge", result.ours)),
    row(["matched", result.matched.payments, "", result.matched.refunds, "", ""]),
  ].join("\n");
}

function mismatchRow(mismatch: Mismatch): string {
  return row([
    mismatch.kind,
    mismatch.orderNo,
    mismatch.refundNo,
    mismatch.bill === undefined ? "" : `${yuan(mismatch.bill.amountFen)} ${mismatch.bill.status} (line ${mismatch.bill.line}, ${mismatch.bill.at})`,
    mismatch.ours === undefined ? "" : `${yuan(mismatch.ours.amountFen)} ${mismatch.ours.status}${mismatch.ours.at ? ` (${mismatch.ours.at})` : ""}`,
    mismatch.notifyId,
  ]);
}

export function htmlReport(result: ReconcileResult): string {
  const kinds = Object.keys(KIND_MEANING) as MismatchKind[];
  const total = kinds.reduce((sum, kind) => sum + (result.counts[kind] ?? 0), 0);
  const title = `Reconciliation ${result.date} ${result.gateway}${result.merchantId ? ` ${result.merchantId}` : ""}`;
  const listed = result.truncated ? `<p>The first ${result.mismatches.length} of ${total} mismatches are listed.</p>` : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem; color: #222; }
table { border-collapse: collapse; margin: 0 0 1.5rem; }
th, td { border: 1px solid #ccc; padding: .25rem .6rem; text-align: left; }
th { background: #f4f4f4; }
.verdict { font-weight: bold; color: ${total === 0 ? "#1a7f37" : "#b42318"}; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="verdict">${total === 0 ? "The bill and paybridge agree." : `${total} mismatches.`}</p>
<h2>Figures</h2>
<table>
${totalsRows(result)}
</table>
<h2>Mismatches by kind</h2>
<table>
${row(["kind", "meaning", "count"], "th")}
${kinds.map((kind) => row([kind, KIND_MEANING[kind], result.counts[kind] ?? 0])).join("\n")}
</table>
<h2>Mismatches</h2>
${listed}<table>
${row(["kind", "order", "refund", "bill", "paybridge", "notify"], "th")}
${result.mismatches.map(mismatchRow).join("\n")}
</table>
</body>
</html>
`;
}
