/** Feeding bills to readBillCsv as the tests need: chunked sources, every row, the refusal. */
import { BillFormatError, type BillRow } from "@paybridge/server-middleware/web";

/** The text or bytes as a stream of `size`-long chunks (a network read splits anywhere). */
export async function* chunked(content: string | Uint8Array, size = 7): AsyncGenerator<string | Uint8Array> {
  for (let at = 0; at < content.length; at += size) yield content.slice(at, at + size);
}

export async function rowsOf(bill: AsyncIterable<BillRow>): Promise<BillRow[]> {
  const rows: BillRow[] = [];
  for await (const row of bill) rows.push(row);
  return rows;
}

/** The BillFormatError the bill ends with, and the rows read before it. */
export async function refusalOf(bill: AsyncIterable<BillRow>): Promise<{ error: BillFormatError; before: BillRow[] }> {
  const before: BillRow[] = [];
  try {
    for await (const row of bill) before.push(row);
  } catch (error) {
    if (error instanceof BillFormatError) return { error, before };
    throw error;
  }
  throw new Error(`the bill was read without a refusal (${before.length} rows)`);
}

/** Epoch ms of a Shanghai wall-clock time, by the platform's own ISO parser (not ours). */
export function shanghai(time: string): number {
  return Date.parse(`${time.replace(" ", "T")}+08:00`);
}
