/**
 * An in-memory gateway for the core's tests: it counts calls, can be told to fail, hold or
 * answer queries, and signs its notifies with signing.ts like a real gateway would. Its
 * notify is JSON `{ out_trade_no, trade_no, total_fee (fen), trade_status, paid_at, sign }`.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { RequestHandler } from "express";
import request from "supertest";
import { GatewayError, NotifyRejectedError } from "../../src/errors.js";
import type { CreateOrderInput, GatewayAdapter, QueryInput, QueryResult } from "../../src/gateways/contract.js";
import type { LogFields, PaybridgeOptions, Payment } from "../../src/types.js";
import { COMMON_SIGN_RULE, createSigner } from "../../src/gateways/kit/signing.js";
import { host, type Hosted, type HostName } from "./hosts.js";

export interface FakeGatewayOptions {
  id?: string;
  supports?: GatewayAdapter["supports"];
  /** When set, createOrder first POSTs here through the core's http (to exercise its timeout). */
  endpoint?: string;
  /** The key notifies are signed with. */
  key?: string;
}

export type NotifyStatus = "PAID" | "FAILED" | "PENDING";

export interface FakeNotify {
  orderNo: string;
  amountFen: number;
  status?: NotifyStatus;
  gatewayOrderNo?: string;
}

export interface FakeGateway {
  readonly adapter: GatewayAdapter;
  readonly createCalls: CreateOrderInput[];
  readonly queryCalls: QueryInput[];
  /** The next createOrder throws GatewayError with this message, as a gateway's refusal would. */
  failNextCreate(message: string): void;
  /** Until the returned function is called, createOrder calls wait (to let requests race). */
  holdCreates(): () => void;
  /** What the query API answers from now on (default: pending). */
  setQueryResult(orderNo: string, result: QueryResult): void;
  /** A notify body signed with the gateway's key. */
  notify(fields: FakeNotify): string;
  /** A notify body signed with some other key. */
  forgedNotify(fields: FakeNotify): string;
}

export const FAKE_KEY = "fake-gateway-key-0123456789abcdef";

export function fakeGateway(options: FakeGatewayOptions = {}): FakeGateway {
  const id = options.id ?? "fake";
  const signer = createSigner(options.key ?? FAKE_KEY, COMMON_SIGN_RULE);
  const forger = createSigner("not-the-key", COMMON_SIGN_RULE);
  const createCalls: CreateOrderInput[] = [];
  const queryCalls: QueryInput[] = [];
  const queryResults = new Map<string, QueryResult>();
  const failures: string[] = [];
  let hold: Promise<void> | undefined;

  const gatewayOrderNoOf = (orderNo: string): string => `${id.toUpperCase()}-${orderNo}`;
  const notifyFields = (fields: FakeNotify) => ({
    out_trade_no: fields.orderNo,
    trade_no: fields.gatewayOrderNo ?? gatewayOrderNoOf(fields.orderNo),
    total_fee: fields.amountFen,
    trade_status: fields.status ?? "PAID",
    paid_at: "2026-01-02T03:04:05.000Z",
  });

  const adapter: GatewayAdapter = {
    id,
    supports: options.supports ?? { wechat: ["jsapi", "mini"], alipay: ["jsapi"], unionpay: ["h5"] },
    async createOrder(input, http) {
      createCalls.push(input);
      if (hold) await hold;
      if (options.endpoint) await http({ url: options.endpoint, body: JSON.stringify({ order: input.orderNo }) });
      const failure = failures.shift();
      if (failure !== undefined) throw new GatewayError(id, failure, { gatewayCode: "REFUSED" });
      const gatewayOrderNo = gatewayOrderNoOf(input.orderNo);
      if (input.channel === "alipay") return { gatewayOrderNo, action: { type: "alipay", tradeNO: `ALI${gatewayOrderNo}` } };
      if (input.channel === "unionpay") return { gatewayOrderNo, action: { type: "redirect", url: `https://pay.example/${gatewayOrderNo}` } };
      const params = {
        appId: input.appId ?? "wx-fake",
        timeStamp: String(Math.floor(Date.now() / 1000)),
        nonceStr: "nonce",
        package: `prepay_id=${gatewayOrderNo}`,
        signType: "MD5",
        paySign: "PAYSIGN",
      };
      return { gatewayOrderNo, action: { type: "wechat", params } };
    },
    verifyNotify({ rawBody }) {
      let fields: Record<string, unknown>;
      try {
        fields = JSON.parse(rawBody.toString("utf8")) as Record<string, unknown>;
      } catch {
        throw new NotifyRejectedError("notify is not JSON");
      }
      if (typeof fields !== "object" || fields === null) throw new NotifyRejectedError("notify is not an object");
      if (!signer.verify(fields, fields.sign)) throw new NotifyRejectedError("bad signature");
      const { out_trade_no: orderNo, trade_no: gatewayOrderNo, total_fee: amountFen, trade_status: status, paid_at: paidAt } = fields;
      if (typeof orderNo !== "string" || typeof amountFen !== "number" || typeof gatewayOrderNo !== "string" || typeof paidAt !== "string") {
        throw new NotifyRejectedError("notify fields missing");
      }
      const outcome = status === "PAID" ? "paid" : status === "FAILED" ? "failed" : "pending";
      return { orderNo, gatewayOrderNo, amountFen, outcome, paidAt };
    },
    // A 200 failure reply, as many gateways expect: the core must still answer a rejection with a 4xx.
    notifyReply: {
      success: { status: 200, contentType: "text/plain", body: "SUCCESS" },
      failure: { status: 200, contentType: "text/plain", body: "FAIL" },
    },
    async queryOrder(input) {
      queryCalls.push(input);
      return queryResults.get(input.orderNo) ?? { status: "pending" };
    },
  };

  return {
    adapter,
    createCalls,
    queryCalls,
    failNextCreate: (message) => failures.push(message),
    holdCreates() {
      let release = (): void => {};
      hold = new Promise<void>((resolve) => {
        release = () => {
          hold = undefined;
          resolve();
        };
      });
      return release;
    },
    setQueryResult: (orderNo, result) => queryResults.set(orderNo, result),
    notify(fields) {
      const body = notifyFields(fields);
      return JSON.stringify({ ...body, sign: signer.sign(body) });
    },
    forgedNotify(fields) {
      const body = notifyFields(fields);
      return JSON.stringify({ ...body, sign: forger.sign(body) });
    },
  };
}

/** The fake gateway mounted behind a real router on 127.0.0.1, with the merchant's hooks recorded. */
export interface Harness {
  /** The router (or web handler): its events and store. */
  readonly router: Omit<Hosted, "listener">;
  readonly gateway: FakeGateway;
  /** supertest bound to the listening server. */
  readonly api: ReturnType<typeof request>;
  /** Payments onPaid was called with, in order (including calls that threw). */
  readonly paid: Payment[];
  readonly logs: { level: string; message: string; fields?: LogFields }[];
  /** Amount resolveOrder answers for an order; 100 fen when unset; orders starting `UNKNOWN` resolve to null. */
  readonly amounts: Map<string, number>;
  /** The loopback port the app listens on, for tests that need a raw socket. */
  readonly port: number;
  close(): Promise<void>;
}

export const STATUS_TOKEN_SECRET = "status-token-secret-0123456789-abcdef";

export async function startHarness(
  overrides: Partial<PaybridgeOptions> & {
    gateway?: FakeGateway;
    onPaidImpl?: (payment: Payment) => void | Promise<void>;
    /** The merchant's own middleware, mounted on the app before paybridge (Express hosts). */
    before?: RequestHandler[];
    /** Which host serves paybridge: the Express router on Express 5 (default) or 4, or the web handler. */
    host?: HostName;
  } = {},
): Promise<Harness> {
  const { gateway = fakeGateway(), onPaidImpl, before = [], host: hostName = "express5", ...options } = overrides;
  const paid: Payment[] = [];
  const logs: Harness["logs"] = [];
  const amounts = new Map<string, number>();
  const record = (level: string) => (message: string, fields?: LogFields) => void logs.push({ level, message, ...(fields ? { fields } : {}) });
  const router = host(hostName, {
    gateways: [gateway.adapter],
    routing: { wechat: gateway.adapter.id, alipay: gateway.adapter.id, unionpay: gateway.adapter.id },
    publicUrl: "https://shop.example/pay/",
    statusTokenSecret: STATUS_TOKEN_SECRET,
    resolveOrder: ({ orderNo }) => (orderNo.startsWith("UNKNOWN") ? null : { amountFen: amounts.get(orderNo) ?? 100, attach: "cart-7" }),
    onPaid: async (payment) => {
      paid.push(payment);
      await onPaidImpl?.(payment);
    },
    logger: { info: record("info"), warn: record("warn"), error: record("error") },
    ...(options as Partial<PaybridgeOptions<unknown>>),
  }, before);
  const server = createServer(router.listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    router,
    gateway,
    api: request(server),
    paid,
    logs,
    amounts,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
