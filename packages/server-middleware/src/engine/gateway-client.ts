/**
 * The outbound gateway client (what paybridge sends; src/http/ serves what it receives):
 * fetch with a hard timeout and a cap on what is read, errors mapped to the contract's codes.
 */
import { DEFAULTS } from "../config/defaults.js";
import { GatewayError, GatewayTimeoutError } from "../errors.js";
import type { GatewayHttp, GatewayRequest, GatewayResponse } from "../gateways/contract.js";

/** Reads no more than `maxResponseBytes` of an answer (after any decompression). */
export function createGatewayClient(gateway: string, timeoutMs: number, maxResponseBytes: number = DEFAULTS.maxGatewayResponseBytes): GatewayHttp {
  return async (request: GatewayRequest): Promise<GatewayResponse> => {
    // A timer cleared once the answer is read, not AbortSignal.timeout(): that one stays armed
    // for the whole timeout after every call and then fires (a DOMException each), so a busy
    // server would keep thousands of dead timers and pay for each one later.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let response: Response;
    let body: string;
    try {
      response = await fetch(request.url, {
        method: request.method ?? "POST",
        headers: request.headers,
        body: request.body,
        signal: controller.signal,
        redirect: "error",
      });
      body = await boundedText(response, maxResponseBytes);
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      if (controller.signal.aborted) throw new GatewayTimeoutError(gateway, timeoutMs);
      // The URL is configuration, not a secret, but say only the host: a path may carry a key.
      const host = safeHost(request.url);
      throw new GatewayError(gateway, `could not reach ${gateway} at ${host}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { status: response.status, headers, body };
  };

  /** The body as text (UTF-8, as Response.text() decodes it), reading no more than `limit` bytes. */
  async function boundedText(response: Response, limit: number): Promise<string> {
    const tooLarge = () => new GatewayError(gateway, `${gateway} answered more than ${limit} bytes`);
    const declared = Number(response.headers.get("content-length"));
    if (declared > limit) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge();
    }
    if (!response.body) return "";
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let length = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      length += value.byteLength;
      if (length > limit) {
        // Stops reading and closes the connection: the rest is never downloaded.
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
    return new TextDecoder().decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length));
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(invalid URL)";
  }
}
