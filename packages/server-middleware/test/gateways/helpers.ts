/** Test helpers: a fake outbound `http` that records what an adapter sends, and the fixtures. */
import { readFileSync } from "node:fs";
import type { GatewayHttp, GatewayRequest, GatewayResponse, NotifyInput } from "../../src/gateways/contract.js";

/** A document's example response, copied verbatim into test/fixtures. */
export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");
}

export type Responder = (request: GatewayRequest, index: number) => string | GatewayResponse;

export interface FakeHttp {
  http: GatewayHttp;
  requests: GatewayRequest[];
  /** The JSON body of the n-th request. */
  sent(index?: number): Record<string, unknown>;
}

/** Answers each request with `respond` (a body text, or a whole response) and records it. */
export function fakeHttp(respond: Responder): FakeHttp {
  const requests: GatewayRequest[] = [];
  return {
    requests,
    http: async (request) => {
      requests.push(request);
      const answer = respond(request, requests.length - 1);
      return typeof answer === "string" ? { status: 200, headers: { "content-type": "application/json" }, body: answer } : answer;
    },
    sent(index = 0) {
      const request = requests[index];
      if (!request?.body) throw new Error(`no request #${index}`);
      return JSON.parse(request.body) as Record<string, unknown>;
    },
  };
}

export function jsonNotify(fields: Record<string, unknown>): NotifyInput {
  return { rawBody: Buffer.from(JSON.stringify(fields)), headers: { "content-type": "application/json" } };
}

export function formNotify(fields: Record<string, string>): NotifyInput {
  return {
    rawBody: Buffer.from(new URLSearchParams(fields).toString()),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  };
}

/** Amounts every adapter must carry exactly: 1 fen, 0.29 yuan (a float trap), 1.15, the maximum. */
export const EXACT_AMOUNTS = [1, 29, 115, 9_999_999_999] as const;

export const NOTIFY_URL = "https://shop.example.com/pay/notify/";

/**
 * An evidence fixture file as stored (test/fixtures/evidence/README.md): `_source`, `body`, and
 * the notes some files add — `_path` (where it is posted), `_required`, `_maxLength`, `_reply`.
 */
export interface EvidenceFile {
  _source: string;
  _assumed?: string[];
  _path?: string;
  _required?: string[];
  _maxLength?: Record<string, number>;
  _reply?: string;
  contentType: string;
  body: Record<string, unknown>;
}

export function evidenceFile(gateway: string, message: string): EvidenceFile {
  const parsed = JSON.parse(readFileSync(new URL(`../fixtures/evidence/${gateway}/${message}.json`, import.meta.url), "utf8")) as EvidenceFile;
  if (typeof parsed._source !== "string" || parsed._source === "") throw new Error(`evidence ${gateway}/${message} names no _source`);
  return parsed;
}

/** The fixture's body as the gateway would send it (JSON text). */
export function evidenceBody(gateway: string, message: string): string {
  return JSON.stringify(evidenceFile(gateway, message).body);
}
