/**
 * Several paybridge instances sharing one Redis, against the sandbox gateways: an order created
 * on one instance is settled by a notify another receives, duplicate notifies racing across
 * instances run onPaid once, and stopping an instance (or Redis) mid-run loses nothing.
 */
import { once } from "node:events";
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { paybridge, RedisOrderStore, type Payment } from "@paybridge/server-middleware";
import { createSandbox, sandboxAdapters, type Sandbox } from "@paybridge/sandbox";
import { redisServerMissing, startRedisServer, type RedisServer } from "./support/redis-server.js";

const HOST = "127.0.0.1";
const GATEWAY = "upaas";
const AMOUNT_FEN = 1999;
const STATUS_TOKEN_SECRET = "redis-instances-test-secret-0123456789";

interface Running {
  url: string;
  server: Server;
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void, port = 0): Promise<Running> {
  const server = createServer(handler);
  server.listen(port, HOST);
  await once(server, "listening");
  return { url: `http://${HOST}:${(server.address() as AddressInfo).port}`, server };
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

interface Instance {
  name: string;
  url: string;
  /** Notifies this instance has received. */
  notifies: number;
  stop(): Promise<void>;
}

describe.skipIf(redisServerMissing)("paybridge instances sharing a RedisOrderStore", () => {
  let redis: RedisServer;
  let sandbox: Sandbox;
  let sandboxUrl: string;
  let sandboxServer: Running;
  /** Every onPaid call, by any instance. */
  const payments: { instance: string; payment: Payment }[] = [];
  /** Servers this test started, stopped after it. */
  const running = new Set<{ stop(): Promise<void> }>();
  let orderSeq = 0;

  beforeAll(async () => {
    redis = await startRedisServer();
    // Quick retries, like a gateway's schedule compressed, so a notify outlives an instance restart.
    sandbox = createSandbox({ notifyRetryDelaysMs: [50, 100, 200, 400, 800, 1600, 3200] });
    const app = express();
    app.use("/sandbox", sandbox);
    sandboxServer = await listen(app);
    sandboxUrl = `${sandboxServer.url}/sandbox`;
  });
  afterEach(async () => {
    for (const server of running) await server.stop();
    sandbox.events.removeAllListeners("notify.acknowledged");
  });
  afterAll(async () => {
    sandbox?.close();
    if (sandboxServer) await close(sandboxServer.server);
    await redis?.stop();
  });

  /** One paybridge process: its own Express app, port and Redis connection; `publicUrl` is where gateways reach it. */
  async function startInstance(
    name: string,
    options: { port?: number; publicUrl?: (ownUrl: string) => string; description?: string } = {},
  ): Promise<Instance> {
    const app = express();
    const { url, server } = await listen(app, options.port);
    const store = new RedisOrderStore({ redis: redis.url });
    const instance: Instance = {
      name,
      url,
      notifies: 0,
      async stop() {
        running.delete(instance);
        await close(server);
        await store.close();
      },
    };
    app.use((req, _res, next) => {
      if (req.path.startsWith("/pay/notify/")) instance.notifies += 1;
      next();
    });
    app.use(
      "/pay",
      paybridge({
        gateways: sandboxAdapters(sandboxUrl),
        routing: { wechat: GATEWAY },
        publicUrl: options.publicUrl?.(url) ?? `${url}/pay`,
        resolveOrder: () => ({
          amountFen: AMOUNT_FEN,
          openId: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
          ...(options.description === undefined ? {} : { description: options.description }),
        }),
        onPaid: (payment) => void payments.push({ instance: name, payment }),
        statusTokenSecret: STATUS_TOKEN_SECRET,
        store,
        logger: { info: () => {}, warn: () => {}, error: () => {} },
      }),
    );
    running.add(instance);
    return instance;
  }

  /** A load balancer in front of `targets` (set once they are up): round robin, as gateways' notifies would meet it. */
  async function startBalancer(): Promise<{ url: string; targets: Instance[] }> {
    const targets: Instance[] = [];
    let next = 0;
    const balancer = await listen((req, res) => {
      const target = new URL(req.url ?? "/", targets[next++ % targets.length]!.url);
      const forward = request(target, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on("error", () => res.writeHead(502).end());
      req.pipe(forward);
    });
    const stoppable = {
      stop: async () => {
        running.delete(stoppable);
        await close(balancer.server);
      },
    };
    running.add(stoppable);
    return { url: balancer.url, targets };
  }

  async function createOrder(instance: Instance): Promise<{ orderNo: string; gatewayOrderNo: string; statusToken: string }> {
    orderSeq += 1;
    const orderNo = `RI${process.pid}-${orderSeq}`;
    const response = await fetch(`${instance.url}/pay/orders`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ orderNo, channel: "wechat" }),
    });
    const body = (await response.json()) as { gatewayOrderNo: string; statusToken: string };
    expect(response.status, JSON.stringify(body)).toBe(201);
    return { orderNo, gatewayOrderNo: body.gatewayOrderNo, statusToken: body.statusToken };
  }

  async function status(instance: Instance, order: { orderNo: string; statusToken: string }): Promise<unknown> {
    const response = await fetch(`${instance.url}/pay/orders/${order.orderNo}?token=${order.statusToken}`);
    expect(response.status).toBe(200);
    return response.json();
  }

  /** The payer pays at the sandbox gateway, which sends (or re-sends) its signed notify. */
  async function completePayment(gatewayOrderNo: string): Promise<{ delivered: boolean }> {
    const response = await fetch(`${sandboxUrl}/control/complete`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ gateway: GATEWAY, gatewayOrderNo, outcome: "paid" }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { delivered: boolean };
  }

  function acknowledgements(gatewayOrderNo: string): { count: number } {
    const acked = { count: 0 };
    sandbox.events.on("notify.acknowledged", (event) => {
      if (event.gatewayOrderNo === gatewayOrderNo) acked.count += 1;
    });
    return acked;
  }

  const paymentsOf = (orderNo: string) => payments.filter(({ payment }) => payment.orderNo === orderNo);

  it("settles an order created on A by the notify B receives; A then reports it paid", async () => {
    const b = await startInstance("B");
    const a = await startInstance("A", { publicUrl: () => `${b.url}/pay` });
    const order = await createOrder(a);
    expect(await status(a, order)).toMatchObject({ status: "pending" });

    expect(await completePayment(order.gatewayOrderNo)).toMatchObject({ delivered: true });

    expect([a.notifies, b.notifies]).toEqual([0, 1]);
    expect(await status(a, order)).toMatchObject({ orderNo: order.orderNo, status: "paid", amountFen: AMOUNT_FEN, gatewayOrderNo: order.gatewayOrderNo });
    expect(paymentsOf(order.orderNo)).toEqual([
      { instance: "B", payment: expect.objectContaining({ orderNo: order.orderNo, amountFen: AMOUNT_FEN, gateway: GATEWAY, channel: "wechat" }) },
    ]);
  });

  it("creates, settles and fulfils an order whose merchant description was cut in the middle of an emoji", async () => {
    // A merchant's own 128-character cut of "…😀" keeps the high surrogate alone.
    const a = await startInstance("A", { description: `${"咖".repeat(127)}😀`.slice(0, 128) });
    const order = await createOrder(a);
    expect(await completePayment(order.gatewayOrderNo)).toMatchObject({ delivered: true });
    expect(paymentsOf(order.orderNo)).toHaveLength(1);
    expect(await status(a, order)).toMatchObject({ status: "paid" });
  });

  it("runs onPaid once for 200 concurrent duplicate notifies split across both instances", async () => {
    const balancer = await startBalancer();
    const a = await startInstance("A", { publicUrl: () => `${balancer.url}/pay` });
    const b = await startInstance("B", { publicUrl: () => `${balancer.url}/pay` });
    balancer.targets.push(a, b);
    const order = await createOrder(a);
    const acked = acknowledgements(order.gatewayOrderNo);

    await Promise.all(Array.from({ length: 200 }, () => completePayment(order.gatewayOrderNo)));
    // Notifies that met another instance's onPaid in progress were refused; the sandbox retries them.
    await expect.poll(() => acked.count, { timeout: 15_000 }).toBe(200);

    expect(a.notifies).toBeGreaterThanOrEqual(100);
    expect(b.notifies).toBeGreaterThanOrEqual(100);
    expect(paymentsOf(order.orderNo)).toHaveLength(1);
    expect(await status(b, order)).toMatchObject({ status: "paid" });
  });

  it("loses nothing when an instance and redis-server restart mid-run", async () => {
    const a = await startInstance("A");
    const b = await startInstance("B");
    const paidBefore = await createOrder(a);
    expect(await completePayment(paidBefore.gatewayOrderNo)).toMatchObject({ delivered: true });
    const pending = await createOrder(a);
    const acked = acknowledgements(pending.gatewayOrderNo);

    const port = Number(new URL(a.url).port);
    await a.stop();
    await redis.restart();
    // The payer pays while A is down: the first notify fails and the gateway retries.
    expect(await completePayment(pending.gatewayOrderNo)).toMatchObject({ delivered: false });
    const restarted = await startInstance("A (restarted)", { port });
    await expect.poll(() => acked.count, { timeout: 10_000 }).toBe(1);

    expect(await status(restarted, pending)).toMatchObject({ status: "paid", amountFen: AMOUNT_FEN });
    expect(await status(b, paidBefore)).toMatchObject({ status: "paid", amountFen: AMOUNT_FEN });
    expect(paymentsOf(pending.orderNo).map(({ instance }) => instance)).toEqual(["A (restarted)"]);

    // The order paid before the restarts is still fulfilled: a late duplicate notify does not run onPaid again.
    expect(await completePayment(paidBefore.gatewayOrderNo)).toMatchObject({ delivered: true });
    expect(paymentsOf(paidBefore.orderNo).map(({ instance }) => instance)).toEqual(["A"]);
  });
});
