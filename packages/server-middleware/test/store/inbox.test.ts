import { PGlite } from "@electric-sql/pglite";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryOrderStore } from "../../src/store/memory.js";
import { MySqlOrderStore } from "../../src/store/mysql.js";
import { PostgresOrderStore } from "../../src/store/postgres.js";
import { RedisOrderStore } from "../../src/store/redis.js";
import { mariadbServerMissing, startMariadbServer, type MariadbServer } from "../../../../test/support/mariadb-server.js";
import { postgresServerMissing, startPostgresServer, type PostgresServer } from "../../../../test/support/postgres-server.js";
import { redisServerMissing, startRedisServer, type RedisServer } from "../../../../test/support/redis-server.js";
import { describeInboxContract, newEntry } from "./inbox-contract.js";

describe("MemoryOrderStore's inbox", () => {
  describeInboxContract(async () => {
    const store = new MemoryOrderStore();
    return { inboxes: [store.inbox, store.inbox], close: async () => undefined };
  });

  it("keeps at most maxNotifies, dropping the first written", async () => {
    const store = new MemoryOrderStore({ maxNotifies: 3 });
    const entries = [1, 2, 3, 4].map((i) => newEntry(Date.parse("2026-02-01T00:00:00Z") + i));
    for (const entry of entries) await store.inbox.put(entry);
    expect((await store.inbox.list({})).map((entry) => entry.id)).toEqual(entries.slice(1).map((entry) => entry.id));
  });
});

describe("MemoryOrderStore's inbox, bounded over many notifies", () => {
  const at = (i: number) => Date.parse("2026-02-01T00:00:00Z") + i;

  it("keeps the last maxNotifies written, across replays (a rewritten id) and prunes", async () => {
    const store = new MemoryOrderStore({ maxNotifies: 50 });
    const written: string[] = [];
    // Past 1,024 dropped ids the inbox compacts its list of ids: 3,000 go through that too.
    for (let i = 0; i < 3_000; i++) {
      const entry = newEntry(at(i));
      await store.inbox.put(entry);
      written.push(entry.id);
      // A replay rewrites an entry: it is not a new one, and must not count twice.
      if (i % 7 === 0) await store.inbox.put({ ...entry, replays: 1 });
      // Retention drops the oldest now and then; what it dropped is not dropped again for room.
      if (i === 299 || i === 599) expect(await store.inbox.prune(at(i - 40))).toBeGreaterThan(0);
    }
    const kept = (await store.inbox.list({ limit: 1_000 })).map((entry) => entry.id);
    expect(kept).toEqual(written.slice(-50));
  });

  it("after a prune, fills up to maxNotifies again before dropping any", async () => {
    const store = new MemoryOrderStore({ maxNotifies: 10 });
    for (let i = 0; i < 10; i++) await store.inbox.put(newEntry(at(i)));
    expect(await store.inbox.prune(at(8))).toBe(8);
    const later = Array.from({ length: 8 }, (_, i) => newEntry(at(100 + i)));
    for (const entry of later) await store.inbox.put(entry);
    expect(await store.inbox.list({ limit: 100 })).toHaveLength(10);
  });
});

describe.skipIf(redisServerMissing)("RedisOrderStore's inbox", () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(() => server?.stop());

  describeInboxContract(async () => {
    const ownConnection = new RedisOrderStore({ redis: server.url, keyPrefix: "inbox-test:" });
    const givenClient = new Redis(server.url);
    const onGivenClient = new RedisOrderStore({ redis: givenClient, keyPrefix: "inbox-test:" });
    return {
      inboxes: [ownConnection.inbox, onGivenClient.inbox],
      async close() {
        await ownConnection.close();
        await givenClient.quit();
      },
    };
  });

  it("lets an entry expire after notifyTtlSeconds", async () => {
    const store = new RedisOrderStore({ redis: server.url, keyPrefix: "inbox-ttl:", notifyTtlSeconds: 1 });
    const entry = newEntry(Date.now());
    await store.inbox.put(entry);
    expect(await store.inbox.get(entry.id)).toEqual(entry);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect(await store.inbox.get(entry.id)).toBeNull();
    expect(await store.inbox.list({})).toEqual([]);
    await store.close();
  });
});

describe.skipIf(postgresServerMissing)("PostgresOrderStore's inbox (pg)", () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgresServer();
  });
  afterAll(() => server?.stop());

  describeInboxContract(async () => {
    const url = await server.createDatabase("inbox");
    const [first, second] = [new PostgresOrderStore({ postgres: url }), new PostgresOrderStore({ postgres: url })];
    expect(await first.migrate()).toEqual(["001_orders", "002_notifies", "003_listing"]);
    return { inboxes: [first.inbox, second.inbox], close: async () => void (await Promise.all([first.close(), second.close()])) };
  });
});

describe("PostgresOrderStore's inbox (PGlite)", () => {
  describeInboxContract(async () => {
    const db = new PGlite();
    const store = new PostgresOrderStore({ postgres: db });
    await store.migrate();
    return { inboxes: [store.inbox, new PostgresOrderStore({ postgres: db }).inbox], close: () => db.close() };
  });
});

describe.skipIf(mariadbServerMissing)("MySqlOrderStore's inbox (MariaDB)", () => {
  let server: MariadbServer;
  beforeAll(async () => {
    server = await startMariadbServer();
  });
  afterAll(() => server?.stop());

  describeInboxContract(async () => {
    const url = await server.createDatabase("inbox");
    const [first, second] = [new MySqlOrderStore({ mysql: url }), new MySqlOrderStore({ mysql: url })];
    expect(await first.migrate()).toEqual(["001_orders", "002_notifies", "003_listing"]);
    return { inboxes: [first.inbox, second.inbox], close: async () => void (await Promise.all([first.close(), second.close()])) };
  });
});
