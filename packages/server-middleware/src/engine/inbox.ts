/**
 * The notify inbox, engine side: every notify that reaches the route is kept in the store's
 * inbox — its raw bytes, the headers a verification may read, the gateway, the time, and what
 * became of it — so a notify an onPaid bug refused can be run again (`replay`) and a verified
 * payment for an order this store does not know is never silently lost.
 */
import { randomBytes } from "node:crypto";
import type { NotifyInput } from "../gateways/contract.js";
import type { NotifyEntry, NotifyInbox, NotifyVerdict } from "../store/contract.js";
import type { EngineContext } from "./context.js";

/** Headers a gateway's signature may live in. Never cookies or authorization (a caller's secret). */
const KEPT_HEADER = /^(content-type|[a-z0-9-]*(sign|signature|timestamp|nonce|serial)[a-z0-9-]*)$/;
const MAX_HEADERS = 16;
const MAX_HEADER_LENGTH = 1024;

/** What became of one processing of a notify. */
export interface NotifyOutcome {
  verdict: NotifyVerdict;
  reason?: string;
  orderNo?: string;
}

/**
 * This process's part of every notify id it makes: drawn once (72 random bits), so instances
 * sharing one store never make the same id, and no id costs a call into the system's random
 * source (`randomBytes` per id was a tenth of a notify's CPU).
 */
const ID_PREFIX = randomBytes(9).toString("base64url");
let idCount = 0;

/**
 * Sorts by receipt time: 9 base-36 digits of epoch ms (good until the year 5188), then this
 * process's prefix and a counter (base 36, 7 digits wide, so one process's ids of one
 * millisecond also sort in the order they were made). At most 30 characters.
 */
export function newNotifyId(receivedAt: number): string {
  return `${receivedAt.toString(36).padStart(9, "0")}-${ID_PREFIX}${(idCount += 1).toString(36).padStart(7, "0")}`;
}

export function keptHeaders(headers: NotifyInput["headers"]): Record<string, string> {
  const kept: Record<string, string> = {};
  let count = 0;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || !KEPT_HEADER.test(name)) continue;
    kept[name] = value.slice(0, MAX_HEADER_LENGTH);
    if ((count += 1) >= MAX_HEADERS) break;
  }
  return kept;
}

/** What one inbox entry is made of; `input` is absent for a body refused unread. */
export interface NotifyEntryParts {
  id: string;
  gateway: string;
  input: NotifyInput | undefined;
  receivedAt: number;
  outcome: NotifyOutcome;
  headers?: NotifyInput["headers"] | undefined;
  merchantId?: string | undefined;
}

export function notifyEntry({ id, gateway, input, receivedAt, outcome, headers, merchantId }: NotifyEntryParts): NotifyEntry {
  return {
    id,
    gateway,
    receivedAt: new Date(receivedAt).toISOString(),
    body: input ? input.rawBody.toString("base64") : "",
    headers: keptHeaders(input?.headers ?? headers ?? {}),
    ...(merchantId === undefined ? {} : { merchantId }),
    ...outcome,
    replays: 0,
    processedAt: new Date().toISOString(),
  };
}

/** Writes the entry; a failing inbox is logged and changes no answer (the notify was processed). */
export async function keepNotify(inbox: NotifyInbox | undefined, entry: NotifyEntry, logError: EngineContext["logError"]): Promise<void> {
  if (!inbox) return;
  try {
    await inbox.put(entry);
  } catch (error) {
    logError("notify inbox write failed", error, { gateway: entry.gateway, notifyId: entry.id });
  }
}

export class NotifyRecorder {
  readonly #ctx: EngineContext;

  constructor(ctx: EngineContext) {
    this.#ctx = ctx;
  }

  /** The entry for notify `id` received at `receivedAt`; `input` is absent for a body refused unread. */
  entry(id: string, gateway: string, input: NotifyInput | undefined, receivedAt: number, outcome: NotifyOutcome, headers?: NotifyInput["headers"]): NotifyEntry {
    return notifyEntry({ id, gateway, input, receivedAt, outcome, headers, merchantId: this.#ctx.merchantId });
  }

  keep(entry: NotifyEntry): Promise<void> {
    return keepNotify(this.#ctx.options.store.inbox, entry, (message, error, fields) => this.#ctx.logError(message, error, fields));
  }
}
