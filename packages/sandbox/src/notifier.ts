/**
 * Sends a gateway's signed notify and, like the real gateways, sends it again on a failure
 * answer or a connection error, on the gateway's schedule, until it is acknowledged or the
 * schedule runs out. Only loopback URLs unless the sandbox is told otherwise.
 */
import type { EventEmitter } from "node:events";
import type { SandboxGatewayId } from "./credentials.js";
import type { NotifyAnswer, NotifyMessage } from "./simulator.js";

export interface SandboxLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface NotifySentEvent {
  gateway: SandboxGatewayId;
  gatewayOrderNo: string;
  /** 1 for the first delivery. */
  attempt: number;
  acknowledged: boolean;
  /** The merchant's HTTP status, absent when the request failed. */
  status?: number;
  /** The merchant's answer text, null when the request failed. */
  reply: string | null;
  /** Why the request failed (connection refused, timeout). */
  error?: string;
  /** When not acknowledged: the wait before the next delivery; absent when the sandbox gives up. */
  nextRetryInMs?: number;
}

export interface NotifyOutcomeEvent {
  gateway: SandboxGatewayId;
  gatewayOrderNo: string;
  attempts: number;
}

export interface SandboxEventMap {
  "notify.sent": [NotifySentEvent];
  "notify.acknowledged": [NotifyOutcomeEvent];
  "notify.gave-up": [NotifyOutcomeEvent];
}

export interface NotifyJob {
  gateway: SandboxGatewayId;
  gatewayOrderNo: string;
  url: string;
  message: NotifyMessage;
  isAcknowledged(answer: NotifyAnswer): boolean;
  /** Waits before attempt 2, 3, ...; when exhausted the sandbox gives up. */
  retryDelaysMs: readonly number[];
}

/** What `/control/complete` answers: how the first delivery went. */
export interface DeliveryResult {
  delivered: boolean;
  attempts: number;
  reply: string | null;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** For gateways whose documents give no schedule: WeChat Pay's (15s, 15s, 30s, 3m, ... 6h; 24h 4m in all). */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [
  15 * SECOND, 15 * SECOND, 30 * SECOND, 3 * MINUTE, 10 * MINUTE, 20 * MINUTE, 30 * MINUTE, 30 * MINUTE,
  30 * MINUTE, 60 * MINUTE, 3 * HOUR, 3 * HOUR, 3 * HOUR, 6 * HOUR, 6 * HOUR,
];

export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  return host === "localhost" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export interface NotifierOptions {
  events: EventEmitter<SandboxEventMap>;
  logger?: SandboxLogger;
  /** Per delivery attempt. */
  timeoutMs: number;
}

export class Notifier {
  readonly #options: NotifierOptions;
  readonly #timers = new Set<NodeJS.Timeout>();
  #closed = false;

  constructor(options: NotifierOptions) {
    this.#options = options;
  }

  /** Delivers once and resolves how that went; retries go on in the background. */
  async start(job: NotifyJob): Promise<DeliveryResult> {
    const first = await this.#attempt(job, 1);
    return { delivered: first.acknowledged, attempts: 1, reply: first.reply };
  }

  async #attempt(job: NotifyJob, attempt: number): Promise<NotifySentEvent> {
    const delivery = await this.#send(job, attempt);
    const delay = delivery.acknowledged || this.#closed ? undefined : job.retryDelaysMs[attempt - 1];
    const sent: NotifySentEvent = delay === undefined ? delivery : { ...delivery, nextRetryInMs: delay };
    const { events, logger } = this.#options;
    const outcome = { gateway: job.gateway, gatewayOrderNo: job.gatewayOrderNo, attempts: attempt };
    events.emit("notify.sent", sent);
    if (sent.acknowledged) {
      logger?.info("sandbox notify acknowledged", outcome);
      events.emit("notify.acknowledged", outcome);
    } else if (delay === undefined) {
      logger?.warn("sandbox notify gave up", outcome);
      events.emit("notify.gave-up", outcome);
    } else {
      logger?.info("sandbox notify not acknowledged, will retry", { ...outcome, status: sent.status, retryInMs: delay });
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        void this.#attempt(job, attempt + 1);
      }, delay);
      // A retry hours away must not keep a process alive.
      timer.unref();
      this.#timers.add(timer);
    }
    return sent;
  }

  async #send(job: NotifyJob, attempt: number): Promise<NotifySentEvent> {
    const base = { gateway: job.gateway, gatewayOrderNo: job.gatewayOrderNo, attempt };
    try {
      const response = await fetch(job.url, {
        method: "POST",
        headers: { "content-type": job.message.contentType },
        body: job.message.body,
        redirect: "manual",
        signal: AbortSignal.timeout(this.#options.timeoutMs),
      });
      const reply = await response.text();
      const acknowledged = job.isAcknowledged({ status: response.status, body: reply });
      return { ...base, acknowledged, status: response.status, reply };
    } catch (error) {
      return { ...base, acknowledged: false, reply: null, error: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Stops every pending retry. */
  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}
