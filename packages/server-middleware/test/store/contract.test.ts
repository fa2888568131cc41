/**
 * The OrderStore contract (contract-suite.ts), run against every store: memory, Redis,
 * PostgreSQL (through pg), PostgreSQL embedded (PGlite in a temp folder) and MariaDB (through
 * mysql2). The servers are started by the tests on loopback, in temp folders.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Redis } from "ioredis";
import { createPool as createCallbackPool } from "mysql2";
import pg from "pg";
import { afterAll, beforeAll, describe } from "vitest";
import { MemoryOrderStore } from "../../src/store/memory.js";
import { MySqlOrderStore } from "../../src/store/mysql.js";
import { PostgresOrderStore } from "../../src/store/postgres.js";
import { RedisOrderStore } from "../../src/store/redis.js";
import { RETENTION_MS } from "./contract-more.js";
import { describeStoreContract } from "./contract-suite.js";
import { mariadbServerMissing, startMariadbServer, type MariadbServer } from "../../../../test/support/mariadb-server.js";
import { postgresServerMissing, startPostgresServer, type PostgresServer } from "../../../../test/support/postgres-server.js";
import { redisServerMissing, startRedisServer, type RedisServer } from "../../../../test/support/redis-server.js";

/** Small batches, so a prune of a handful of orders takes several. */
const PRUNE_BATCH = 2;

describe("MemoryOrderStore", () => {
  describeStoreContract(
    async (now) => {
      const store = new MemoryOrderStore({ retentionMs: RETENTION_MS, now });
      return { stores: [store, store], close: async () => undefined };
    },
    { prunes: true },
  );
});

describe.skipIf(redisServerMissing)("RedisOrderStore", () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(() => server?.stop());

  describeStoreContract(
    async () => {
      const ownConnection = new RedisOrderStore({ redis: server.url });
      const givenClient = new Redis(server.url);
      const onGivenClient = new RedisOrderStore({ redis: givenClient });
      return {
        stores: [ownConnection, onGivenClient],
        async close() {
          await ownConnection.close();
          await givenClient.quit();
        },
      };
    },
    { prunes: false },
  );
});

describe.skipIf(postgresServerMissing)("PostgresOrderStore (pg)", () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgresServer();
  });
  afterAll(() => server?.stop());

  describeStoreContract(
    async (now) => {
      const url = await server.createDatabase("contract");
      const options = { retentionMs: RETENTION_MS, now, pruneBatchSize: PRUNE_BATCH };
      const ownPool = new PostgresOrderStore({ postgres: url, ...options });
      await ownPool.migrate();
      const givenPool = new pg.Pool({ connectionString: url, max: 20 });
      const onGivenPool = new PostgresOrderStore({ postgres: givenPool, ...options });
      return {
        stores: [ownPool, onGivenPool],
        async close() {
          await ownPool.close();
          await onGivenPool.close();
          await givenPool.end();
        },
      };
    },
    { prunes: true },
  );
});

describe("PostgresOrderStore (PGlite in a folder)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "paybridge-pglite-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  describeStoreContract(
    async (now) => {
      const options = { retentionMs: RETENTION_MS, now, pruneBatchSize: PRUNE_BATCH };
      // One PGlite per folder (and starting one takes seconds): both handles share the instance.
      const db = new PGlite(dir);
      const [first, second] = [new PostgresOrderStore({ postgres: db, ...options }), new PostgresOrderStore({ postgres: db, ...options })];
      await first.migrate();
      return {
        stores: [first, second],
        async close() {
          await first.close();
          await db.close();
        },
      };
    },
    { prunes: true },
  );
});

describe.skipIf(mariadbServerMissing)("MySqlOrderStore (MariaDB)", () => {
  let server: MariadbServer;
  beforeAll(async () => {
    server = await startMariadbServer();
  });
  afterAll(() => server?.stop());

  describeStoreContract(
    async (now) => {
      const url = await server.createDatabase("contract");
      const options = { retentionMs: RETENTION_MS, now, pruneBatchSize: PRUNE_BATCH };
      const ownPool = new MySqlOrderStore({ mysql: url, ...options });
      await ownPool.migrate();
      // A callback-style mysql2 pool: the store uses its .promise().
      const givenPool = createCallbackPool({ uri: url, connectionLimit: 20 });
      const onGivenPool = new MySqlOrderStore({ mysql: givenPool, ...options });
      return {
        stores: [ownPool, onGivenPool],
        async close() {
          await ownPool.close();
          await onGivenPool.close();
          await new Promise((resolve) => givenPool.end(resolve));
        },
      };
    },
    { prunes: true },
  );
});
