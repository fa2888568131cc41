/**
 * vbao's billDownload (issue 20), served from the bill book: EVIDENCE.md, Additions —
 * `/api/vbdownload/order/standard/billDownload {customerNo, date (yyyyMMdd), type}`, `type` PAY |
 * REFUND | DIVIDE | BINDCARD | UNBINDCARD | BINDPAY, empty = PAY + REFUND; sent as every vbao
 * server call (`{customerNo, reqmsg}`). What it answers is not public: the sandbox answers the
 * adapter's assumption, the file itself (CSV, bill-files.ts) as the body; refusals as `{code, msg}`.
 */
import type { Request, Response, Router } from "express";
import { compactDay, type BillBook } from "../bill-book.js";
import { billCsv } from "../bill-files.js";
import type { FieldTable, JsonObject } from "../fields.js";

const BILL_PATH = "/api/vbdownload/order/standard/billDownload";
const BILL_FIELDS: FieldTable = {
  sign: { type: "string", required: true, pattern: /^[0-9A-F]{32}$/, patternHint: "32 upper-case hex" },
  customerNo: { type: "string", maxLength: 32 },
  date: { type: "string", required: true, pattern: /^\d{8}$/, patternHint: "yyyyMMdd" },
  type: { type: "string", oneOf: ["", "PAY", "REFUND", "DIVIDE", "BINDCARD", "UNBINDCARD", "BINDPAY"] },
};

export interface VbaoBillContext {
  router: Router;
  bills: BillBook;
  customerNo: string;
  readRequest(req: Request, res: Response, table: FieldTable): JsonObject | null;
  fail(res: Response, msg: string): null;
}

export function vbaoBillRoute(ctx: VbaoBillContext): void {
  ctx.router.post(BILL_PATH, (req, res) => {
    const message = ctx.readRequest(req, res, BILL_FIELDS);
    if (!message) return;
    if (message.customerNo !== undefined && message.customerNo !== ctx.customerNo) return ctx.fail(res, "商户不存在: customerNo");
    const date = message.date as string;
    const day = compactDay(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`);
    if (day === null) return ctx.fail(res, "参数错误: date");
    const type = (message.type as string | undefined) ?? "";
    const rows = ctx.bills.rows("vbao", day).filter((row) => {
      if (type === "") return true;
      return type === (row.kind === "refund" ? "REFUND" : "PAY");
    });
    res.status(200).type("text/csv; charset=utf-8").send(billCsv("vbao", rows));
  });
}
