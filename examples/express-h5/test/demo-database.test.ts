/**
 * PAYBRIDGE_DATABASE_URL picks the demo's order store: `pglite:<folder>` keeps orders in that
 * folder (migrated on start), so an order created before a restart of the demo is still known
 * after it. A URL of no supported database is refused at start.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startDemo } from "../demo.mjs";

describe("demo PAYBRIDGE_DATABASE_URL", () => {
  it("pglite:<folder>: an order created before a restart is still there after it", { timeout: 180_000 }, async () => {
    const folder = await mkdtemp(join(tmpdir(), "paybridge-demo-pglite-"));
    const env = { PAYBRIDGE_DATABASE_URL: `pglite:${folder}`, PAYBRIDGE_STATUS_TOKEN_SECRET: "demo-database-test-secret-0123456789abcdef" };
    const options = { port: 0, gateway: "upaas", env, printLine: () => {}, log: () => {} };
    const first = await startDemo(options);
    const created = await fetch(`${first.url}/pay/orders`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ orderNo: "DB-250", channel: "wechat" }) });
    expect(created.status).toBe(201);
    const { statusToken } = (await created.json()) as { statusToken: string };
    await first.close();

    const second = await startDemo(options);
    const status = await fetch(`${second.url}/pay/orders/DB-250`, { headers: { "x-paybridge-token": statusToken } });
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ orderNo: "DB-250", status: "pending", amountFen: 250 });
    await second.close();
    await rm(folder, { recursive: true, force: true });
  });

  it("refuses a URL of no supported database", async () => {
    await expect(startDemo({ port: 0, env: { PAYBRIDGE_DATABASE_URL: "sqlite:./x" }, printLine: () => {}, log: () => {} })).rejects.toThrow(/postgres:\/\/, mysql:\/\/ or pglite:/);
  });
});
