/**
 * The built `paybridge` bin in a child process, as an operator runs it: a temp folder with a
 * paybridge.config.mjs whose store is a PGlite database, and the sandbox's xiangma on 127.0.0.1.
 * A shop (this process, the same database) creates and pays the orders first and closes its
 * store — PGlite is one process's database — then each command runs against them. Needs
 * `pnpm build` (the test command builds first).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { paybridge, PostgresOrderStore } from "@paybridge/server-middleware";
import { sandboxAdapters } from "@paybridge/sandbox";
import { postJson, startSandboxShop, type SandboxShop } from "../../../test/support/sandbox-shop.js";

const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const dist = (path: string): string => new URL(`../../${path}`, import.meta.url).href;
const SECRET = "cli-bin-test-status-secret-0123456789";

const dir = mkdtempSync(join(tmpdir(), "paybridge-cli-"));
const database = `pglite:${join(dir, "data")}`;
let sandboxShop: SandboxShop;
const orders = { paid: "", pending: "", paidAtGateway: "", fulfilmentDown: "", expiring: "" };

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: readonly string[], cwd = dir): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? -1) : 0, stdout, stderr });
    });
  });
}

const json = (ran: Ran): Record<string, unknown> => JSON.parse(ran.stdout) as Record<string, unknown>;

function writeConfig(folder: string, body: string): void {
  writeFileSync(join(folder, "paybridge.config.mjs"), body);
}

beforeAll(async () => {
  sandboxShop = await startSandboxShop();
  const { sandboxUrl, payUrl } = sandboxShop;
  const store = new PostgresOrderStore({ postgres: database });
  await store.migrate();
  const router = paybridge({
    gateways: sandboxAdapters(sandboxUrl),
    routing: () => "xiangma",
    publicUrl: payUrl,
    statusTokenSecret: SECRET,
    resolveOrder: () => ({ amountFen: 1000, description: "green tea", attach: "table 7" }),
    onPaid: (payment) => {
      if (payment.orderNo === orders.fulfilmentDown) throw new Error("fulfilment down");
    },
    store,
    logger: { info: () => {}, warn: () => {}, error: () => {} },
  });
  sandboxShop.shop.use("/pay", router);
  const create = async (name: keyof typeof orders): Promise<string> => {
    orders[name] = `cli-${name}-${process.pid}`;
    const created = await postJson(`${payUrl}/orders`, { orderNo: orders[name], channel: "wechat", scene: "h5" });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    return created.json.gatewayOrderNo as string;
  };
  const complete = (gatewayOrderNo: string, notify = true) => postJson(`${sandboxUrl}/control/complete`, { gateway: "xiangma", gatewayOrderNo, outcome: "paid", notify });
  await complete(await create("paid"));
  await create("pending");
  await complete(await create("paidAtGateway"), false);
  await complete(await create("fulfilmentDown"));
  await create("expiring");
  await store.close();
  writeConfig(
    dir,
    `import { PostgresOrderStore } from ${JSON.stringify(dist("server-middleware/dist/web.js"))};
import { sandboxAdapters } from ${JSON.stringify(dist("sandbox/dist/index.js"))};
export default {
  gateways: sandboxAdapters(${JSON.stringify(sandboxUrl)}),
  routing: () => "xiangma",
  publicUrl: ${JSON.stringify(payUrl)},
  statusTokenSecret: ${JSON.stringify(SECRET)},
  resolveOrder: () => null,
  onPaid: () => {},
  expireAfterMs: 1000,
  store: new PostgresOrderStore({ postgres: ${JSON.stringify(database)} }),
};
`,
  );
}, 300_000);

afterAll(async () => {
  await sandboxShop?.close();
  rmSync(dir, { recursive: true, force: true });
});

// Each command starts PGlite afresh: seconds each on a busy machine.
describe("the bin against a shop's orders", { timeout: 120_000 }, () => {
  it("order show: the stored order, without its pay parameters", async () => {
    const ran = await cli(["order", "show", orders.paid, "--json"]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(json(ran)).toMatchObject({ orderNo: orders.paid, status: "paid", amountFen: 1000, gateway: "xiangma", description: "green tea", attach: "table 7", fulfilment: "done" });
    expect(ran.stdout).not.toMatch(/action|fulfilmentClaim|https?:/);
  });

  it("order refund at the gateway; past the paid amount: refused, exit 4", async () => {
    const ran = await cli(["order", "refund", orders.paid, "--refund-no", "R1", "--amount-fen", "300", "--json"]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(json(ran)).toMatchObject({ refundNo: "R1", amountFen: 300, status: "succeeded", refundedFen: 300 });
    const over = await cli(["order", "refund", orders.paid, "--refund-no", "R2", "--amount-fen", "800"]);
    expect(over.code).toBe(4);
    expect(over.stderr).toMatch(/^paybridge: .* \[refund_not_allowed\]\n$/);
  });

  it("order close closes a pending order at the gateway", async () => {
    const ran = await cli(["order", "close", orders.pending, "--json"]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(json(ran)).toEqual({ orderNo: orders.pending, status: "closed", closedAt: "gateway" });
  });

  it("order query asks the gateway and applies its answer", async () => {
    const ran = await cli(["order", "query", orders.paidAtGateway, "--json"]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(json(ran)).toMatchObject({ queried: true, order: { orderNo: orders.paidAtGateway, status: "paid" } });
  });

  it("notify list, then notify replay --all of the day's retries: accepted now", async () => {
    const list = await cli(["notify", "list", "--json"]);
    expect(list.code, list.stderr).toBe(0);
    const listed = JSON.parse(list.stdout) as { orderNo: string; verdict: string; id: string }[];
    expect(listed.map((entry) => [entry.orderNo, entry.verdict])).toEqual([
      [orders.paid, "accepted"],
      [orders.fulfilmentDown, "retry"],
    ]);
    const since = new Date(Date.now() - 3_600_000).toISOString();
    const ran = await cli(["notify", "replay", "--all", "--verdict", "retry", "--since", since, "--json"]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(json(ran)).toMatchObject({ replayed: 1, verdicts: { accepted: 1, retry: 0 }, failures: [] });
    const one = await cli(["notify", "replay", (listed[0] as { id: string }).id]);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toMatch(/verdict\s+accepted/);
  });

  it("sweep closes the expired pending order", async () => {
    const ran = await cli(["sweep", "--json"]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(json(ran)).toMatchObject({ closed: 1, failed: 0 });
  });

  // The day's bill as the sandbox's console serves it (its xiangma columns), then the same bill
  // with three of the sandbox's mismatch switches on: what an operator's cron job would see.
  it("reconcile --bill: the sandbox's bill agrees (exit 0); with injected mismatches, exit 1 and an HTML report naming them", async () => {
    const day = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const download = async (kinds: string[]): Promise<void> => {
      const set = await postJson(`${sandboxShop.sandboxUrl}/control/bill-mismatch`, { gateway: "xiangma", kinds });
      expect(set.status).toBe(200);
      const bill = await fetch(`${sandboxShop.sandboxUrl}/bills/xiangma.csv?date=${day}`);
      expect(bill.status).toBe(200);
      writeFileSync(join(dir, "bill.csv"), Buffer.from(await bill.arrayBuffer()));
    };
    await download([]);
    const agree = await cli(["reconcile", "--date", day, "--gateway", "xiangma", "--bill", "bill.csv", "--json"]);
    expect(agree.code, agree.stderr).toBe(0);
    expect(json(agree)).toMatchObject({
      date: day,
      matched: { payments: 3, refunds: 1 },
      bill: { payments: 3, paymentFen: 3000, refunds: 1, refundFen: 300 },
      ours: { payments: 3, paymentFen: 3000, refunds: 1, refundFen: 300 },
      mismatches: [],
    });

    await download(["change-amount", "unknown-order", "drop-refund"]);
    const differ = await cli(["reconcile", "--date", day, "--gateway", "xiangma", "--bill", "bill.csv", "--report", "day.html", "--json"]);
    expect(differ.code, differ.stderr).toBe(1);
    const result = json(differ) as { counts: Record<string, number>; mismatches: { kind: string; orderNo: string }[] };
    expect(Object.entries(result.counts).filter(([, n]) => n > 0)).toEqual(
      expect.arrayContaining([["amount_differs", 1], ["unknown_order", 1], ["refund_missing_in_bill", 1]]),
    );
    expect(Object.values(result.counts).reduce((sum, n) => sum + n, 0)).toBe(3);
    expect(result.mismatches.find((m) => m.kind === "amount_differs")?.orderNo).toBe(orders.paid);
    expect(result.mismatches.find((m) => m.kind === "refund_missing_in_bill")?.orderNo).toBe(orders.paid);
    const html = readFileSync(join(dir, "day.html"), "utf8");
    for (const kind of ["amount_differs", "unknown_order", "refund_missing_in_bill"]) expect(html).toContain(kind);
    expect(html).toContain(orders.paid);
  });
});

describe("the bin's exit codes", () => {
  it("--help: exit 0; an unknown command: 2; a bad reconcile date: 2", async () => {
    expect((await cli(["--help"])).code).toBe(0);
    expect((await cli(["refund"])).code).toBe(2);
    expect((await cli(["reconcile", "--date", "2026-12-32", "--gateway", "xiangma"])).code).toBe(2);
  });

  it("a missing config, one that does not load, one refused: exit 3, one line", async () => {
    const empty = mkdtempSync(join(dir, "empty-"));
    const missing = await cli(["sweep"], empty);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/^paybridge: no config file at .*paybridge\.config\.mjs .*\[config_missing\]\n$/);
    writeConfig(empty, "export default {;\n");
    expect((await cli(["sweep"], empty)).code).toBe(3);
    writeConfig(empty, "export default async () => { throw new Error('vault down: token s3cr3t'); };\n");
    const threw = await cli(["sweep"], empty);
    expect([threw.code, threw.stderr]).toEqual([3, "paybridge: the config's default export threw (Error; --verbose shows why) [config_invalid]\n"]);
    writeConfig(empty, `import { MemoryOrderStore } from ${JSON.stringify(dist("server-middleware/dist/web.js"))};\nexport default { store: new MemoryOrderStore(), statusTokenSecret: "short" };\n`);
    const refused = await cli(["sweep"], empty);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("[config_invalid]");
  });

  it("a store that is down: exit 4, the store named", async () => {
    const down = mkdtempSync(join(dir, "down-"));
    writeConfig(
      down,
      `import { PostgresOrderStore, xiangma } from ${JSON.stringify(dist("server-middleware/dist/web.js"))};
export default {
  gateways: [xiangma({ instNo: "1", mchNo: "1", key: "k".repeat(32) })],
  routing: () => "xiangma",
  publicUrl: "http://127.0.0.1:9/pay",
  statusTokenSecret: ${JSON.stringify(SECRET)},
  resolveOrder: () => null,
  onPaid: () => {},
  store: new PostgresOrderStore({ postgres: "postgres://paybridge@127.0.0.1:9/none" }),
};
`,
    );
    const ran = await cli(["order", "show", "A1"], down);
    expect(ran.code).toBe(4);
    expect(ran.stderr).toMatch(/^paybridge: PostgresOrderStore: .* \[store_error\]\n$/);
  });
});
