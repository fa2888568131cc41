/**
 * The bill book's routes (issue 20): `GET /bills/<gateway>.csv?date=yyyy-MM-dd`, the day's bill
 * as the gateway's console would let a merchant download it (bill-files.ts), and
 * `POST /control/bill-mismatch {gateway, kinds}`, which sets the gateway's mismatch switches
 * (bill-book.ts; `kinds: []` turns them off). Errors: `{ error: { message, field? } }`.
 */
import express, { Router, type Response } from "express";
import { BILL_MISMATCHES, compactDay, isBillMismatch, type BillBook } from "./bill-book.js";
import { billCsv } from "./bill-files.js";
import { isSandboxGatewayId } from "./credentials.js";
import { isJsonObject } from "./fields.js";

function reject(res: Response, status: number, message: string, field?: string): void {
  res.status(status).json({ error: { message, ...(field ? { field } : {}) } });
}

/** Mounted at `/bills`. */
export function billFileRouter(book: BillBook): Router {
  const router = Router();
  router.get("/:file", (req, res) => {
    const gateway = /^(.+)\.csv$/.exec(req.params.file)?.[1];
    if (!isSandboxGatewayId(gateway)) return reject(res, 404, "no such bill: /bills/<gateway>.csv");
    const day = compactDay(req.query.date);
    if (day === null) return reject(res, 400, "date must be yyyy-MM-dd", "date");
    res.type("text/csv; charset=utf-8").attachment(`${gateway}-${String(req.query.date)}.csv`).send(billCsv(gateway, book.rows(gateway, day)));
  });
  return router;
}

/** Mounted at `/control`. */
export function billControlRouter(book: BillBook): Router {
  const router = Router();
  router.use(express.json({ limit: "16kb" }));
  router.post("/bill-mismatch", (req, res) => {
    const body: unknown = req.body;
    if (!isJsonObject(body)) return reject(res, 400, "body must be a JSON object");
    const { gateway, kinds } = body;
    if (!isSandboxGatewayId(gateway)) return reject(res, 400, "unknown gateway", "gateway");
    if (!Array.isArray(kinds) || kinds.length > BILL_MISMATCHES.length || !kinds.every(isBillMismatch)) {
      return reject(res, 400, `kinds must be a list of ${BILL_MISMATCHES.join(", ")}`, "kinds");
    }
    book.setMismatches(gateway, kinds);
    res.json({ gateway, kinds: book.mismatches(gateway) });
  });
  return router;
}
