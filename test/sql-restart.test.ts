/**
 * Restart without loss, with real processes: a shop server on PostgreSQL or MariaDB is killed
 * with SIGKILL in the middle of a notify's onPaid, and in the middle of sending a refund to the
 * gateway; started again on the same database, the gateway's retry (or the merchant's) completes
 * the work: onPaid runs to completion once, the refund reaches the gateway once and onRefunded
 * runs once. The shop is test/support/sql-shop.mjs on the built package.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import { once } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mariadbServerMissing, startMariadbServer } from "./support/mariadb-server.js";
import { postgresServerMissing, startPostgresServer } from "./support/postgres-server.js";

const SHOP = fileURLToPath(new URL("./support/sql-shop.mjs", import.meta.url));
const NOTIFY_KEY = "sql-restart-notify-key";
const HOST = "127.0.0.1";

interface ShopEvent {
  pid: number;
  event: "onPaid.start" | "onPaid.done" | "onRefunded";
  orderNo: string;
  refundNo?: string;
}

/** The gateway the shop refunds through: it refunds each refundNo once, and can hold its answer. */
function refundGateway() {
  const refunded = new Map<string, number>();
  const state = { refundCalls: [] as string[], queryCalls: [] as string[], hold: false, held: [] as ServerResponse[] };
  let arrived: () => void = () => {};
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    let text = "";
    for await (const chunk of req) text += String(chunk);
    const { refundNo, amountFen } = JSON.parse(text) as { refundNo: string; amountFen: number };
    const answer = (body: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.url === "/refund") {
      state.refundCalls.push(refundNo);
      if (!refunded.has(refundNo)) refunded.set(refundNo, amountFen);
      // The money has moved; the answer is held (the shop dies waiting for it).
      if (state.hold) {
        state.held.push(res);
        arrived();
        return;
      }
      return answer({ status: "succeeded", refundNo, gatewayRefundNo: `GR-${refundNo}`, amountFen });
    }
    state.queryCalls.push(refundNo);
    const amount = refunded.get(refundNo);
    answer(amount === undefined ? { status: "not_found" } : { status: "succeeded", refundNo, gatewayRefundNo: `GR-${refundNo}`, amountFen: amount });
  };
  return { state, handler, refundArrived: () => new Promise<void>((resolve) => (arrived = resolve)) };
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await check();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const databases = [
  { name: "PostgreSQL", missing: postgresServerMissing, start: startPostgresServer },
  { name: "MariaDB", missing: mariadbServerMissing, start: startMariadbServer },
] as const;

for (const database of databases) {
  describe.skipIf(database.missing)(`a shop on ${database.name} killed mid-work and restarted`, { timeout: 120_000 }, () => {
    let server: { createDatabase(name: string): Promise<string>; stop(): Promise<void> };
    let databaseUrl: string;
    let gatewayServer: Server;
    let gatewayUrl: string;
    let dir: string;
    const gateway = refundGateway();
    const shops = new Set<ChildProcess>();

    beforeAll(async () => {
      server = await database.start();
      databaseUrl = await server.createDatabase("restart");
      dir = await mkdtemp(join(tmpdir(), "paybridge-restart-"));
      gatewayServer = createServer((req, res) => void gateway.handler(req, res));
      gatewayServer.listen(0, HOST);
      await once(gatewayServer, "listening");
      gatewayUrl = `http://${HOST}:${(gatewayServer.address() as AddressInfo).port}`;
    }, 120_000);
    afterAll(async () => {
      for (const shop of shops) shop.kill("SIGKILL");
      gatewayServer?.closeAllConnections();
      gatewayServer?.close();
      await server?.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    const eventsFile = () => join(dir, "events.jsonl");
    const events = async (): Promise<ShopEvent[]> =>
      (await readFile(eventsFile(), "utf8").catch(() => ""))
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as ShopEvent);

    async function startShop(options: { hangOnPaid?: boolean } = {}): Promise<{ url: string; child: ChildProcess }> {
      const child = spawn(process.execPath, [SHOP], {
        env: {
          ...process.env,
          SHOP_DATABASE_URL: databaseUrl,
          SHOP_GATEWAY_URL: gatewayUrl,
          SHOP_EVENTS_FILE: eventsFile(),
          SHOP_NOTIFY_KEY: NOTIFY_KEY,
          SHOP_HANG_ON_PAID: options.hangOnPaid ? "1" : "0",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      shops.add(child);
      let output = "";
      child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the shop did not start:\n${output}`)), 30_000);
        child.stdout?.on("data", (chunk: Buffer) => {
          const match = /listening (\d+)/.exec(chunk.toString());
          if (match) {
            clearTimeout(timer);
            resolve(Number(match[1]));
          }
        });
        child.once("exit", (code) => reject(new Error(`the shop exited (${code}):\n${output}`)));
      });
      return { url: `http://${HOST}:${port}`, child };
    }

    async function kill(child: ChildProcess): Promise<void> {
      const exited = once(child, "exit");
      child.kill("SIGKILL");
      await exited;
      shops.delete(child);
    }

    const post = async (url: string, body: unknown) => {
      const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      return { status: response.status, text: await response.text() };
    };
    const notify = (url: string, orderNo: string) =>
      post(`${url}/pay/notify/testpay`, { orderNo, amountFen: 1_000, sig: createHmac("sha256", NOTIFY_KEY).update(`${orderNo}|1000`).digest("hex") });
    /** As a gateway does: the notify again until the shop answers success (bounded). */
    const notifyUntilAcknowledged = (url: string, orderNo: string) =>
      waitFor("the notify to be acknowledged", async () => ((await notify(url, orderNo)).text === "OK" ? true : undefined));

    it("killed in the middle of onPaid: after restart the gateway's retry runs onPaid to completion, once", async () => {
      const orderNo = `KP-${database.name}`;
      const first = await startShop({ hangOnPaid: true });
      expect((await post(`${first.url}/pay/orders`, { orderNo })).status).toBe(201);
      const inFlight = notify(first.url, orderNo).catch(() => undefined);
      await waitFor("onPaid to start", async () => ((await events()).some((e) => e.event === "onPaid.start" && e.orderNo === orderNo) ? true : undefined));
      await kill(first.child);
      await inFlight;

      const second = await startShop();
      await notifyUntilAcknowledged(second.url, orderNo);
      // A late duplicate from the gateway changes nothing.
      expect(await notify(second.url, orderNo)).toEqual({ status: 200, text: "OK" });

      const mine = (await events()).filter((e) => e.orderNo === orderNo);
      expect(mine.map((e) => [e.event, e.pid])).toEqual([
        ["onPaid.start", first.child.pid],
        ["onPaid.start", second.child.pid],
        ["onPaid.done", second.child.pid],
      ]);
      const record = (await (await fetch(`${second.url}/admin/orders/${orderNo}`)).json()) as Record<string, unknown>;
      expect(record).toMatchObject({ status: "paid", fulfilment: "done", amountFen: 1_000 });
      await kill(second.child);
    });

    it("killed in the middle of sending a refund: after restart the retry finds it at the gateway, sent once, onRefunded once", async () => {
      const orderNo = `KR-${database.name}`;
      const refund = { orderNo, refundNo: `${orderNo}-R1`, amountFen: 300 };
      const first = await startShop();
      expect((await post(`${first.url}/pay/orders`, { orderNo })).status).toBe(201);
      await notifyUntilAcknowledged(first.url, orderNo);

      gateway.state.hold = true;
      const arrived = gateway.refundArrived();
      const inFlight = post(`${first.url}/admin/refund`, refund).catch(() => undefined);
      await arrived;
      await kill(first.child);
      await inFlight;
      gateway.state.hold = false;
      for (const held of gateway.state.held.splice(0)) held.destroy();

      const second = await startShop();
      // The merchant retries with the same refundNo until it is settled (its send lease lapses first).
      const result = await waitFor("the refund to succeed", async () => {
        const answer = await post(`${second.url}/admin/refund`, refund);
        const body = JSON.parse(answer.text) as { status?: string };
        return body.status === "succeeded" ? body : undefined;
      });
      expect(result).toMatchObject({ orderNo, refundNo: refund.refundNo, amountFen: 300, status: "succeeded" });
      expect(gateway.state.refundCalls.filter((refundNo) => refundNo === refund.refundNo)).toHaveLength(1);
      expect(gateway.state.queryCalls).toContain(refund.refundNo);
      const refunded = (await events()).filter((e) => e.event === "onRefunded" && e.orderNo === orderNo);
      expect(refunded.map((e) => [e.refundNo, e.pid])).toEqual([[refund.refundNo, second.child.pid]]);
      const record = (await (await fetch(`${second.url}/admin/orders/${orderNo}`)).json()) as { status: string; refunds: unknown[] };
      expect(record).toMatchObject({ status: "partially_refunded", refunds: [expect.objectContaining({ status: "succeeded", attempts: 2, fulfilment: "done" })] });
      await kill(second.child);
    });
  });
}

