/**
 * Fault injection: `POST /control/fault` makes a gateway's next call(s) misbehave, so the
 * middleware's handling of a slow, broken, unreadable or forged answer can be tested.
 */
import type { RequestHandler, Response } from "express";
import type { SandboxGatewayId } from "./credentials.js";
import { isJsonObject } from "./fields.js";

export const FAULT_KINDS = ["timeout", "http-500", "invalid-json", "bad-sign"] as const;
/** `timeout`: never answer (until the sandbox closes); `bad-sign`: a wrong signature on a valid answer. */
export type FaultKind = (typeof FAULT_KINDS)[number];

export function isFaultKind(value: unknown): value is FaultKind {
  return typeof value === "string" && (FAULT_KINDS as readonly string[]).includes(value);
}

interface PendingFault {
  kind: FaultKind;
  remaining: number;
}

/** Every hex digit moved by one, in the signature's case: same length and alphabet, never the same value. */
function corrupt(signature: string): string {
  const upper = /[A-F]/.test(signature) && !/[a-f]/.test(signature);
  return signature.replace(/[0-9a-f]/gi, (digit) => {
    const next = ((parseInt(digit, 16) + 1) % 16).toString(16);
    return upper ? next.toUpperCase() : next;
  });
}

/** The answer with its signature wrong: `sign` or `data.sign`, or a wrong `sign` added to an unsigned answer. */
function withBadSign(body: unknown): unknown {
  if (!isJsonObject(body)) return body;
  if (typeof body.sign === "string") return { ...body, sign: corrupt(body.sign) };
  const data = body.data;
  if (isJsonObject(data) && typeof data.sign === "string") return { ...body, data: { ...data, sign: corrupt(data.sign) } };
  return { ...body, sign: "0".repeat(32) };
}

export class FaultInjector {
  readonly #pending = new Map<SandboxGatewayId, PendingFault>();
  readonly #hung = new Set<Response>();

  /** Replaces any fault still pending for the gateway. */
  set(gateway: SandboxGatewayId, kind: FaultKind, times: number): void {
    this.#pending.set(gateway, { kind, remaining: times });
  }

  #take(gateway: SandboxGatewayId): FaultKind | null {
    const fault = this.#pending.get(gateway);
    if (!fault) return null;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.#pending.delete(gateway);
    return fault.kind;
  }

  /** Put in front of a gateway's routes. */
  middleware(gateway: SandboxGatewayId): RequestHandler {
    return (req, res, next) => {
      const kind = this.#take(gateway);
      switch (kind) {
        case null:
          return next();
        case "timeout":
          this.#hung.add(res);
          res.on("close", () => this.#hung.delete(res));
          return;
        case "http-500":
          res.status(500).type("text/plain").send("Internal Server Error");
          return;
        case "invalid-json":
          res.status(200).type("application/json").send('{"code":"000000","data":{"sign":');
          return;
        case "bad-sign": {
          const json = res.json.bind(res);
          res.json = (body: unknown) => json(withBadSign(body));
          return next();
        }
      }
    };
  }

  /** Drops the connections held by `timeout` faults. */
  close(): void {
    for (const res of this.#hung) res.destroy();
    this.#hung.clear();
    this.#pending.clear();
  }
}
