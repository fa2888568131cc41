/**
 * A merchant server and the gateway sandbox, both really listening on 127.0.0.1 (port 0), so
 * the sandbox's notifies travel over HTTP to the router exactly as a gateway's would.
 * Every response a test reads goes through `request`, which hands its body to the leak watch.
 * A capturing receiver in front of the router can take a notify the sandbox sends (answering
 * it as received, so the sandbox does not retry) for a test to replay and tamper with.
 */
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { Agent, request as httpRequest, type Server } from "node:http";
import express from "express";
import type { CreateOrderResponse } from "@paybridge/shared";
import {
  paybridge,
  type GatewayAdapter,
  type OrderRecord,
  type PaybridgeOptions,
  type PaybridgeRouter,
  type Payment,
} from "@paybridge/server-middleware";
import {
  createSandbox,
  sandboxAdapters,
  SANDBOX_CREDENTIALS,
  type Sandbox,
  type SandboxAdapterOverrides,
  type SandboxCredentials,
  type SandboxOptions,
} from "@paybridge/sandbox";
import { watchForLeaks, type LeakWatch } from "./leaks.js";
import { GATEWAY_IDS, type GatewayId } from "./notify-signers.js";

const STATUS_TOKEN_SECRET = "trust-status-token-secret-0123456789abcdef";
const OPEN_ID = "oTrustOpenId0000000000000000001";
const APP_ID = "wx00000000trust001";
/** What resolveOrder answers for an order number it was not told about. */
const DEFAULT_AMOUNT_FEN = 1234;

export interface HarnessOptions {
  /** Credentials of the sandbox and of the adapters pointed at it (default SANDBOX_CREDENTIALS). */
  credentials?: SandboxCredentials;
  sandbox?: Omit<SandboxOptions, "credentials">;
  paybridge?: Partial<Pick<PaybridgeOptions, "timeoutMs" | "queryIntervalMs" | "bodyLimit" | "statusTokenSecret">>;
  /** Leave paybridge's own logger in place (JSON lines on stderr, which the leak watch spies on). */
  defaultLogger?: boolean;
  /** Adapters to use instead of the five pointed at the sandbox (given the sandbox URL). */
  adapters?: (sandboxUrl: string, overrides: SandboxAdapterOverrides) => GatewayAdapter[];
}

export interface HttpAnswer {
  status: number;
  contentType: string;
  /** Lower-cased names. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  text: string;
}

export interface CapturedNotify {
  contentType: string;
  body: string;
}

export interface Harness {
  /** Where the router is mounted, e.g. http://127.0.0.1:5555/pay. */
  readonly payUrl: string;
  readonly sandboxUrl: string;
  readonly router: PaybridgeRouter;
  readonly sandbox: Sandbox;
  readonly adapters: ReadonlyMap<GatewayId, GatewayAdapter>;
  readonly leaks: LeakWatch;
  /** Every call of onPaid, including those that threw. */
  readonly onPaidCalls: Payment[];
  /** What onPaid does (after being recorded); default nothing. */
  onPaid: (payment: Payment) => void | Promise<void>;
  /**
   * What resolveOrder gives per order number: an amount (default DEFAULT_AMOUNT_FEN), null for
   * "no such order", or anything else a careless merchant might return.
   */
  readonly amounts: Map<string, unknown>;
  request(method: "GET" | "POST", path: string, init?: { body?: string | Buffer; contentType?: string }): Promise<HttpAnswer>;
  /** POST /orders for a new order at `gateway` (WeChat, its default scene); expects 201. */
  createOrder(gateway: GatewayId, orderNo: string): Promise<CreateOrderResponse>;
  status(orderNo: string, token: string | undefined): Promise<HttpAnswer>;
  postNotify(gateway: string, body: string | Buffer, contentType?: string): Promise<HttpAnswer>;
  /** POST /control/complete at the sandbox. */
  complete(gateway: GatewayId, gatewayOrderNo: string, options?: { outcome?: "paid" | "failed"; notify?: boolean }): Promise<unknown>;
  /** Completes the order as paid at the sandbox and takes the notify it sends, which never reaches the router. */
  captureNotify(gateway: GatewayId, gatewayOrderNo: string): Promise<CapturedNotify>;
  record(orderNo: string): Promise<OrderRecord | null>;
  close(): Promise<void>;
}

/** `<gateway>-<rest>`: the routing function reads the gateway from the order number. */
export function orderNumber(gateway: GatewayId, label: string): string {
  return `${gateway}-${label}`;
}

// node:http with keep-alive: several times cheaper per request than fetch, which matters for
// the thousands of notifies the mutation tests send.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function send(url: string, method: string, body: string | Buffer | undefined, contentType: string): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method, agent, headers: { "content-type": contentType } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          contentType: response.headers["content-type"] ?? "",
          headers: response.headers,
          text: Buffer.concat(chunks).toString("utf8"),
        }),
      );
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}

async function listen(app: express.Express): Promise<{ server: Server; url: string }> {
  const server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}` };
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Overrides giving each adapter the harness's credentials (the sandbox's, when custom). */
function credentialOverrides(credentials: SandboxCredentials): SandboxAdapterOverrides {
  return {
    upaas: { ...credentials.upaas },
    lianke: { ...credentials.lianke },
    xiangma: { ...credentials.xiangma },
    fubei: { ...credentials.fubei },
    vbao: { customerNo: credentials.vbao.customerNo, key: credentials.vbao.key, publicKey: credentials.vbao.publicKey },
  };
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const leaks = watchForLeaks();
  const credentials = options.credentials ?? SANDBOX_CREDENTIALS;
  const sandbox = createSandbox({ notifyRetryDelaysMs: [], ...options.sandbox, credentials });
  const sandboxApp = express();
  sandboxApp.use("/sandbox", sandbox);
  const sandboxServer = await listen(sandboxApp);
  const sandboxUrl = `${sandboxServer.url}/sandbox`;

  const overrides = credentialOverrides(credentials);
  const adapterList = options.adapters ? options.adapters(sandboxUrl, overrides) : sandboxAdapters(sandboxUrl, overrides);
  const adapters = new Map(adapterList.map((adapter) => [adapter.id as GatewayId, adapter]));

  const amounts = new Map<string, unknown>();
  const onPaidCalls: Payment[] = [];
  const app = express();
  /** Per gateway: who takes the next notify instead of the router. */
  const captures = new Map<string, (notify: CapturedNotify) => void>();

  // No route parameter here: a malformed escape in the path must reach the router under test untouched.
  app.use("/pay/notify", (req, res, next) => {
    const gateway = req.path.slice(1);
    const take = req.method === "POST" ? captures.get(gateway) : undefined;
    if (!take) return next();
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      captures.delete(gateway);
      take({ contentType: req.get("content-type") ?? "", body: Buffer.concat(chunks).toString("utf8") });
      const reply = adapters.get(gateway as GatewayId)?.notifyReply.success;
      if (!reply) return void res.status(500).end();
      res.status(reply.status).type(reply.contentType).send(reply.body);
    });
  });
  app.use("/pay", (req, res, next) => router(req, res, next));
  const payServer = await listen(app);
  const payUrl = `${payServer.url}/pay`;

  // onPaid reads `harness` when called, after it is assigned.
  let harness: Harness;
  const router = paybridge({
    gateways: adapterList,
    routing: ({ orderNo }) => orderNo.slice(0, orderNo.indexOf("-")),
    publicUrl: payUrl,
    resolveOrder: ({ orderNo }) => {
      const amountFen = amounts.has(orderNo) ? amounts.get(orderNo) : DEFAULT_AMOUNT_FEN;
      // Deliberately untyped: the merchant's hook is JavaScript as often as not.
      return amountFen === null ? null : ({ amountFen, description: `trust ${orderNo}` } as unknown as { amountFen: number });
    },
    onPaid: async (payment) => {
      onPaidCalls.push(payment);
      await harness.onPaid(payment);
    },
    statusTokenSecret: STATUS_TOKEN_SECRET,
    ...(options.defaultLogger ? {} : { logger: leaks.logger }),
    ...options.paybridge,
  });

  harness = {
    payUrl,
    sandboxUrl,
    sandbox,
    adapters,
    leaks,
    onPaidCalls,
    amounts,
    onPaid: () => {},
    router,

    async request(method, path, init = {}) {
      const answer = await send(`${payUrl}${path}`, method, init.body, init.contentType ?? "application/json");
      leaks.record(answer.text);
      return answer;
    },

    async createOrder(gateway, orderNo) {
      const answer = await harness.request("POST", "/orders", {
        body: JSON.stringify({ orderNo, channel: "wechat", openId: OPEN_ID, appId: APP_ID }),
      });
      if (answer.status !== 201) throw new Error(`creating ${orderNo} at ${gateway}: HTTP ${answer.status} ${answer.text}`);
      return JSON.parse(answer.text) as CreateOrderResponse;
    },

    status: (orderNo, token) =>
      harness.request("GET", `/orders/${encodeURIComponent(orderNo)}${token === undefined ? "" : `?token=${encodeURIComponent(token)}`}`),

    postNotify: (gateway, body, contentType = "application/json") =>
      harness.request("POST", `/notify/${gateway}`, { body, contentType }),

    async complete(gateway, gatewayOrderNo, { outcome = "paid", notify } = {}) {
      const response = await fetch(`${sandboxUrl}/control/complete`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ gateway, gatewayOrderNo, outcome, ...(notify === undefined ? {} : { notify }) }),
      });
      const answer: unknown = await response.json();
      if (!response.ok) throw new Error(`sandbox complete: HTTP ${response.status} ${JSON.stringify(answer)}`);
      return answer;
    },

    async captureNotify(gateway, gatewayOrderNo) {
      if (captures.has(gateway)) throw new Error(`already capturing a ${gateway} notify`);
      let captured: CapturedNotify | undefined;
      captures.set(gateway, (notify) => (captured = notify));
      try {
        // The sandbox answers /control/complete after its first delivery, so the capture is in by then.
        await harness.complete(gateway, gatewayOrderNo);
      } finally {
        captures.delete(gateway);
      }
      if (!captured) throw new Error(`the sandbox sent no ${gateway} notify for ${gatewayOrderNo}`);
      return captured;
    },

    record: (orderNo) => harness.router.store.get(orderNo),

    async close() {
      sandbox.close();
      await Promise.all([closeServer(payServer.server), closeServer(sandboxServer.server)]);
      leaks.restore();
    },
  };

  return harness;
}

export { GATEWAY_IDS };

/** The values that must never leave the server: every gateway key and the status-token secret. */
export function secretsOf(credentials: SandboxCredentials, statusTokenSecret = STATUS_TOKEN_SECRET): string[] {
  return [
    credentials.upaas.key,
    credentials.lianke.key,
    credentials.xiangma.key,
    credentials.fubei.appSecret,
    credentials.vbao.key,
    statusTokenSecret,
  ];
}
