/**
 * readBillCsv: a bill file a merchant downloaded from a gateway's console, read as BillRows one
 * at a time (streamed: memory holds one line, whatever the bill's size). The first fault ends
 * the iteration with a BillFormatError (line and reason), so nothing after a bad line is read
 * and a caller that stops on the error matches nothing from a broken bill.
 */
import { BillFormatError } from "../errors.js";
import { cleanCell, isBlankRecord } from "./cells.js";
import type { BillRow } from "./contract.js";
import { CsvTokenizer, type CsvRecord } from "./csv-tokenizer.js";
import { billText, type BillSource } from "./decode.js";
import { columnPositions } from "./header.js";
import { billCsvSettings, type BillCsvOptions, type BillCsvSettings } from "./options.js";
import { BillRowReader } from "./row.js";

export type { BillCsvOptions } from "./options.js";
export type { BillEncoding, BillSource } from "./decode.js";

/**
 * The bill's rows, in file order. Options are checked now (a ConfigError); the file as it is
 * iterated (a BillFormatError at the first bad line: header, cells, amount, time, day, merchant).
 */
export function readBillCsv(source: BillSource, options: BillCsvOptions): AsyncIterable<BillRow> {
  const settings = billCsvSettings(options);
  return { [Symbol.asyncIterator]: () => billRows(source, settings) };
}

async function* billRows(source: BillSource, settings: BillCsvSettings): AsyncGenerator<BillRow> {
  const tokenizer = new CsvTokenizer({ maxRecordChars: settings.maxLineChars, skipLines: settings.skipLines });
  const lines = new BillLines(settings);
  for await (const text of billText(source, settings.encoding, () => tokenizer.line)) {
    for (const record of tokenizer.push(text)) {
      const row = lines.take(record);
      if (row === END) return;
      if (row !== undefined) yield row;
    }
  }
  for (const record of tokenizer.end()) {
    const row = lines.take(record);
    if (row !== END && row !== undefined) yield row;
  }
  lines.finish(tokenizer.line);
}

/** A summary line: the rows have ended. */
const END = Symbol("end of rows");

/** What each record is: the header, a blank line, a row, or the summary's start. */
class BillLines {
  private reader: BillRowReader | undefined;
  private rows = 0;

  constructor(private readonly settings: BillCsvSettings) {}

  /** The record's row; undefined for the header or a blank line; END at an end marker. */
  take({ line, fields }: CsvRecord): BillRow | undefined | typeof END {
    if (isBlankRecord(fields)) return undefined;
    if (this.reader === undefined) {
      this.reader = new BillRowReader(this.settings, columnPositions(this.settings.columns, fields, line), fields.length);
      return undefined;
    }
    if (this.settings.endMarkers.length > 0) {
      const first = cleanCell(fields[0]);
      if (this.settings.endMarkers.some((marker) => first.startsWith(marker))) return END;
    }
    this.rows += 1;
    if (this.rows > this.settings.maxRows) throw new BillFormatError(line, `more than ${this.settings.maxRows} rows (the \`maxRows\` option)`);
    return this.reader.read(line, fields);
  }

  /** At the end of the file: a file without a header is no bill. */
  finish(line: number): void {
    if (this.reader === undefined) throw new BillFormatError(line, "no header line: the file is empty or has only skipped lines");
  }
}
