/**
 * Two paybridge instances (separate processes) sharing one SQL database (bench/lib/two-instances.mjs):
 * a throw-away PostgreSQL, or MariaDB for the MySQL store, a fresh database per run that each
 * instance migrates at start. First-time notify throughput and the instances' CPU per request;
 * racing copies and the gateway's retry; onPaid exactly once per order in total. Without the
 * server binaries the section is recorded as skipped.
 */
import { mariadbServerMissing, startMariadbServer } from "../lib/mariadb-server.mjs";
import { postgresServerMissing, startPostgresServer } from "../lib/postgres-server.mjs";
import { measureTwoInstances } from "../lib/two-instances.mjs";

// Fewer than Redis: a SQL notify costs several times the CPU, and the five sections the lead reruns must fit 12 minutes.
const ORDERS = Number(process.env.BENCH_SQL_ORDERS ?? 1_000);

const KINDS = {
  postgres: { missing: postgresServerMissing, start: startPostgresServer, install: "apt-get install postgresql" },
  mysql: { missing: mariadbServerMissing, start: startMariadbServer, install: "apt-get install mariadb-server" },
};

export function measureSqlStore(kind) {
  return async ({ runs = 1, log } = {}) => {
    const { missing, start, install } = KINDS[kind];
    if (missing()) {
      const reason = `the ${kind === "mysql" ? "MariaDB" : "PostgreSQL"} server is not installed (${install})`;
      console.error(`\n!!!!!!!!!! ${kind.toUpperCase()} BENCH SKIPPED: ${reason} !!!!!!!!!!\n`);
      return { skipped: true, reason };
    }
    const server = await start();
    try {
      const database = `paybridge_bench_${Date.now().toString(36)}`;
      const figures = await measureTwoInstances({
        storeFor: async (run) => ({ kind, url: await server.createDatabase(`${database}_${run}`) }),
        orders: ORDERS,
        runs,
        headline: "firstTime",
        log,
      });
      return { server: kind === "mysql" ? "MariaDB (Debian's mariadb-server)" : "PostgreSQL (Debian's postgresql)", ...figures };
    } finally {
      await server.stop();
    }
  };
}
