/**
 * A streaming CSV tokenizer (RFC 4180): fields quoted with `"` hold commas, line breaks and `""`
 * for a quote; records end with CRLF, LF or CR. It keeps one unfinished record between chunks,
 * never more than `maxRecordChars`, so a bill of any number of rows reads in bounded memory.
 * Fields come out as written (the reader trims them); spaces before an opening quote are allowed.
 */
import { BillFormatError } from "../errors.js";

export interface CsvRecord {
  /** The file's line the record starts on (1 = the first line). */
  line: number;
  fields: string[];
}

export interface CsvTokenizerLimits {
  /** The longest record (or skipped line), in characters, line breaks inside quotes included. */
  maxRecordChars: number;
  /** Lines at the top read as raw text and dropped (a title before the header): no quotes apply. */
  skipLines: number;
}

const COMMA = 44;
const QUOTE = 34;
const CR = 13;
const LF = 10;
const SPACE = 32;
const TAB = 9;

// Where the tokenizer is inside the current field.
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** A quote inside a quoted field: `""` (an escaped quote) or the field's end. */
const QUOTE_IN_QUOTED = 3;
/** After a closing quote: only spaces, then a comma or a line end. */
const AFTER_QUOTED = 4;

export class CsvTokenizer {
  /** The file's line the next character is on. */
  line = 1;
  private state = FIELD_START;
  private fields: string[] = [];
  private field = "";
  private recordLine = 1;
  /** Characters of the unfinished record (or skipped line) in earlier chunks. */
  private carried = 0;
  /** The last chunk ended with a CR that ended a record: an LF opening the next belongs to it. */
  private lfPending = false;
  private linesToSkip: number;

  constructor(private readonly limits: CsvTokenizerLimits) {
    this.linesToSkip = limits.skipLines;
  }

  /** The records this chunk of text completes. */
  *push(text: string): Generator<CsvRecord> {
    const n = text.length;
    if (n === 0) return;
    let i = this.skipLines(text);
    let recordStart = i;
    // The start of the current field's text not yet added to `this.field`.
    let fieldStart = i;
    while (i < n) {
      if (this.state === QUOTED) {
        const quote = text.indexOf('"', i);
        const end = quote < 0 ? n : quote;
        this.line += countLineFeeds(text, i, end);
        if (quote < 0) {
          i = n;
          break;
        }
        this.field += text.slice(fieldStart, quote);
        this.state = QUOTE_IN_QUOTED;
        i = fieldStart = quote + 1;
        continue;
      }
      const c = text.charCodeAt(i);
      if (this.state === QUOTE_IN_QUOTED) {
        if (c === QUOTE) {
          this.field += '"';
          this.state = QUOTED;
          i = fieldStart = i + 1;
          continue;
        }
        this.state = AFTER_QUOTED;
      }
      if (this.state === AFTER_QUOTED) {
        if (c === SPACE || c === TAB) {
          i = fieldStart = i + 1;
          continue;
        }
        if (c !== COMMA && c !== LF && c !== CR) throw new BillFormatError(this.line, "text after a closing quote (a quote inside a field is written \"\")");
      } else {
        let j = i;
        for (; j < n; j++) {
          const d = text.charCodeAt(j);
          if (d === COMMA || d === LF || d === CR || d === QUOTE) break;
        }
        this.state = UNQUOTED;
        this.field += text.slice(fieldStart, j);
        i = fieldStart = j;
        if (j === n) break;
        if (text.charCodeAt(j) === QUOTE) {
          if (this.field.trim() !== "") throw new BillFormatError(this.line, "a quote inside an unquoted field (quote the whole field)");
          this.field = "";
          this.state = QUOTED;
          i = fieldStart = j + 1;
          continue;
        }
      }
      // At a comma or a line end: the field is complete.
      const delimiter = text.charCodeAt(i);
      this.fields.push(this.field);
      this.field = "";
      this.state = FIELD_START;
      i = fieldStart = i + 1;
      if (delimiter === COMMA) continue;
      if (delimiter === CR) {
        if (i === n) this.lfPending = true;
        else if (text.charCodeAt(i) === LF) i = fieldStart = i + 1;
      }
      this.checkLength(this.carried + (i - recordStart), this.recordLine);
      const record = { line: this.recordLine, fields: this.fields };
      this.fields = [];
      this.carried = 0;
      this.line += 1;
      this.recordLine = this.line;
      recordStart = i;
      yield record;
    }
    this.field += text.slice(fieldStart, n);
    this.carried += n - recordStart;
    this.checkLength(this.carried, this.recordLine);
  }

  /** The last record, when the text does not end with a line break. */
  *end(): Generator<CsvRecord> {
    if (this.state === QUOTED) throw new BillFormatError(this.recordLine, "a quoted field is not closed before the end of the file");
    if (this.linesToSkip > 0 || this.carried === 0) return;
    this.fields.push(this.field);
    yield { line: this.recordLine, fields: this.fields };
    this.fields = [];
    this.field = "";
    this.carried = 0;
  }

  /** Drops the raw lines before the header; gives where the records start in `text`. */
  private skipLines(text: string): number {
    let i = 0;
    if (this.lfPending) {
      this.lfPending = false;
      if (text.charCodeAt(0) === LF) i = 1;
    }
    while (this.linesToSkip > 0) {
      const lf = text.indexOf("\n", i);
      if (lf < 0) {
        this.carried += text.length - i;
        this.checkLength(this.carried, this.line);
        return text.length;
      }
      this.checkLength(this.carried + (lf - i), this.line);
      this.carried = 0;
      this.linesToSkip -= 1;
      this.line += 1;
      this.recordLine = this.line;
      i = lf + 1;
    }
    return i;
  }

  private checkLength(chars: number, line: number): void {
    if (chars > this.limits.maxRecordChars) {
      throw new BillFormatError(line, `a line longer than ${this.limits.maxRecordChars} characters (the \`maxLineChars\` option)`);
    }
  }
}

function countLineFeeds(text: string, from: number, to: number): number {
  let count = 0;
  for (let at = text.indexOf("\n", from); at >= 0 && at < to; at = text.indexOf("\n", at + 1)) count += 1;
  return count;
}
