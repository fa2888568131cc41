/**
 * A request body as the HTTP core sees it, whoever read it: exact bytes, a value a body
 * parser produced before paybridge saw the request, or why there is none.
 */
export type BodyFailure = "too_large" | "unreadable";

export type BodyResult =
  | { readonly bytes: Buffer }
  /** A body parser mounted before paybridge read the stream; only its result is left. */
  | { readonly parsed: unknown }
  | { readonly failure: BodyFailure };

/** How the core reads a request, implemented once per host (Node's IncomingMessage, the fetch API's Request). */
export interface BodySource {
  /** The body, at most `limit` bytes (declared or streamed); over it, `too_large` and the rest discarded. */
  read(limit: number): Promise<BodyResult>;
  /** Discards the body unread (so a kept-alive connection stays usable). */
  discard(): void;
}

export const NO_BODY = Buffer.alloc(0);

/** Collects chunks up to `limit` bytes; `add` answers false once the limit is passed. */
export function chunkCollector(limit: number): { add(chunk: Uint8Array): boolean; bytes(): Buffer } {
  const chunks: Buffer[] = [];
  let length = 0;
  return {
    add(chunk) {
      length += chunk.byteLength;
      if (length > limit) return false;
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      return true;
    },
    bytes: () => (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length)),
  };
}

/** The declared Content-Length is over the limit (a missing or unparsable one is not). */
export function declaredOver(contentLength: string | undefined, limit: number): boolean {
  return contentLength !== undefined && Number(contentLength) > limit;
}
