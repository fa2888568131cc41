/**
 * A bill file's bytes as text, chunk by chunk: UTF-8 or GB18030 (Chinese consoles export GBK,
 * which GB18030 contains), a leading byte-order mark dropped, invalid bytes refused rather than
 * read as U+FFFD (a damaged order number must not look like another one).
 */
import { BillFormatError } from "../errors.js";

/** `gbk` and `gb18030` read alike: GB18030 is GBK's superset (WHATWG Encoding gives both one decoder). */
export type BillEncoding = "utf-8" | "gbk" | "gb18030";

/** A bill file's content: a Node Readable or any async iterable of chunks, or a web ReadableStream. */
export type BillSource = AsyncIterable<Uint8Array | string> | ReadableStream<Uint8Array> | ReadableStream<string>;

const BOM = 0xfeff;

/**
 * The source's text. `lineNow` says which line the reader has reached, for the error on bytes
 * that do not decode (they are at or after it).
 */
export async function* billText(source: BillSource, encoding: BillEncoding, lineNow: () => number): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding === "utf-8" ? "utf-8" : "gb18030", { fatal: true, ignoreBOM: true });
  const decode = (bytes?: Uint8Array): string => {
    try {
      return bytes === undefined ? decoder.decode() : decoder.decode(bytes, { stream: true });
    } catch {
      throw new BillFormatError(lineNow(), `bytes at or after this line are not ${encoding} text (the \`encoding\` option)`);
    }
  };
  let first = true;
  for await (const chunk of chunksOf(source)) {
    let text: string;
    if (typeof chunk === "string") text = chunk;
    else if (chunk instanceof Uint8Array) text = decode(chunk);
    else throw new TypeError("a bill source must give bytes (Uint8Array) or strings");
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === BOM) text = text.slice(1);
    }
    yield text;
  }
  const rest = decode();
  if (rest.length > 0) yield rest;
}

function isReadableStream(source: BillSource): source is ReadableStream<Uint8Array> | ReadableStream<string> {
  return typeof (source as Partial<ReadableStream>).getReader === "function";
}

/** A web stream is read through its reader (not every ReadableStream type is async-iterable); stopping early cancels it. */
async function* chunksOf(source: BillSource): AsyncGenerator<unknown> {
  if (!isReadableStream(source)) {
    yield* source;
    return;
  }
  const reader = (source as ReadableStream<Uint8Array | string>).getReader();
  let finished = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
