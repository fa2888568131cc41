/**
 * The streaming CSV tokenizer: RFC 4180 quoting, every line-end style, and the same records
 * whichever way the text is cut into chunks (a network read can split anywhere, even inside
 * CRLF or a `""`). Bounds refuse with the line number.
 */
import { describe, expect, it } from "vitest";
import { CsvTokenizer, type CsvRecord } from "../../src/bills/csv-tokenizer.js";
import { BillFormatError } from "../../src/errors.js";

const LIMITS = { maxRecordChars: 65_536, skipLines: 0 };

function tokenize(chunks: readonly string[], limits = LIMITS): CsvRecord[] {
  const tokenizer = new CsvTokenizer(limits);
  const records: CsvRecord[] = [];
  for (const chunk of chunks) records.push(...tokenizer.push(chunk));
  records.push(...tokenizer.end());
  return records;
}

function refusal(chunks: readonly string[], limits = LIMITS): BillFormatError {
  try {
    tokenize(chunks, limits);
  } catch (error) {
    if (error instanceof BillFormatError) return error;
    throw error;
  }
  throw new Error("the text was read without a refusal");
}

/** Every way to cut `text` in two, and one character at a time. */
function cuts(text: string): string[][] {
  const ways = [[text], [...text]];
  for (let at = 1; at < text.length; at++) ways.push([text.slice(0, at), text.slice(at)]);
  return ways;
}

// RFC 4180 §2: quoted fields hold commas, CRLF and "" for a quote; line 1 starts the first record.
const TEXT = 'a,b,c\r\n"x, y","say ""hi""","two\r\nlines"\r\n  "spaced" ,plain , \r\nlast,,""';
const RECORDS: CsvRecord[] = [
  { line: 1, fields: ["a", "b", "c"] },
  { line: 2, fields: ["x, y", 'say "hi"', "two\r\nlines"] },
  { line: 4, fields: ["spaced", "plain ", " "] },
  { line: 5, fields: ["last", "", ""] },
];

describe("CsvTokenizer", () => {
  it("reads quoted commas, escaped quotes and quoted line breaks, and numbers lines as the file does", () => {
    expect(tokenize([TEXT])).toEqual(RECORDS);
  });

  it("gives the same records however the text is cut into chunks", () => {
    for (const chunks of cuts(TEXT)) expect(tokenize(chunks)).toEqual(RECORDS);
  });

  it("ends records at LF, CRLF or a lone CR, and a last line without a line break", () => {
    expect(tokenize(["a\nb\r\nc\rd"])).toEqual([
      { line: 1, fields: ["a"] },
      { line: 2, fields: ["b"] },
      { line: 3, fields: ["c"] },
      { line: 4, fields: ["d"] },
    ]);
    for (const chunks of cuts("a\r\nb\r\n")) expect(tokenize(chunks)).toEqual([{ line: 1, fields: ["a"] }, { line: 2, fields: ["b"] }]);
  });

  it("gives a blank line as one empty field (the reader skips it) and nothing for a final line break", () => {
    expect(tokenize(["a\n\nb\n"])).toEqual([
      { line: 1, fields: ["a"] },
      { line: 2, fields: [""] },
      { line: 3, fields: ["b"] },
    ]);
  });

  it("drops the skipped lines raw: a quote in a title does not open a field", () => {
    const limits = { ...LIMITS, skipLines: 2 };
    for (const chunks of cuts('title "with a quote\r\nperiod: [2026-12-04]\r\nh1,h2\r\n1,2\r\n')) {
      expect(tokenize(chunks, limits)).toEqual([
        { line: 3, fields: ["h1", "h2"] },
        { line: 4, fields: ["1", "2"] },
      ]);
    }
  });

  it("refuses a quoted field left open, with the line it starts on", () => {
    const error = refusal(['h\n1\n"open\nstill open\n']);
    expect(error.line).toBe(3);
    expect(error.reason).toMatch(/not closed/);
  });

  it("refuses text after a closing quote and a quote inside an unquoted field", () => {
    expect(refusal(['h\n"a"b\n'])).toMatchObject({ line: 2, reason: expect.stringMatching(/after a closing quote/) });
    expect(refusal(["h\nok\nab\"c\n"])).toMatchObject({ line: 3, reason: expect.stringMatching(/quote inside an unquoted field/) });
  });

  it("refuses a line over the limit with its number, whether it ends or never does", () => {
    const limits = { maxRecordChars: 64, skipLines: 0 };
    const long = "x".repeat(65);
    expect(refusal([`h\nshort\n${long}\nnext\n`], limits)).toMatchObject({ line: 3, reason: expect.stringMatching(/longer than 64 characters/) });
    // A line that never ends, fed in small chunks: refused once it passes the limit, not buffered on.
    const tokenizer = new CsvTokenizer(limits);
    const feed = (): void => {
      for (let i = 0; i < 1000; i++) [...tokenizer.push("y".repeat(10))];
    };
    expect(feed).toThrow(/line 1: a line longer than 64/);
    // A quoted field with line breaks counts towards its record's length, at the line it starts.
    expect(refusal([`h\n"${"z\n".repeat(40)}"\n`], limits)).toMatchObject({ line: 2 });
  });

  it("bounds a skipped title line too", () => {
    expect(refusal(["t".repeat(100)], { maxRecordChars: 64, skipLines: 1 })).toMatchObject({ line: 1 });
  });
});
