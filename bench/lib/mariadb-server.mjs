/**
 * A throw-away MariaDB server for the bench: Debian's mariadb-server, `mariadb-install-db` into a
 * temp folder and `mariadbd` on a free loopback port (as root, --user=root), the log flushed once
 * a second (innodb-flush-log-at-trx-commit=2); stopped and removed after the run. As
 * test/support/mariadb-server.ts does; that file is TypeScript, which `pnpm bench` does not load.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./redis-server.mjs";

const HOST = "127.0.0.1";
const START_TIMEOUT_MS = 60_000;

function findBinary(names) {
  for (const name of names) {
    for (const dir of ["/usr/sbin", "/usr/bin", "/usr/local/bin", "/usr/local/sbin"]) {
      if (spawnSync(join(dir, name), ["--version"]).status === 0) return join(dir, name);
    }
  }
  return undefined;
}

const INSTALL_DB = findBinary(["mariadb-install-db", "mysql_install_db"]);
const SERVER = findBinary(["mariadbd", "mysqld"]);

export function mariadbServerMissing() {
  return INSTALL_DB === undefined || SERVER === undefined;
}

/** Resolves `{ url(database), createDatabase(name), stop() }`. */
export async function startMariadbServer() {
  if (mariadbServerMissing()) throw new Error("MariaDB is not installed");
  const dir = await mkdtemp(join(tmpdir(), "paybridge-bench-mariadb-"));
  const data = join(dir, "data");
  const asRoot = process.getuid?.() === 0 ? ["--user=root"] : [];
  const install = spawnSync(INSTALL_DB, ["--no-defaults", `--datadir=${data}`, "--auth-root-authentication-method=normal", "--skip-test-db", ...asRoot], {
    encoding: "utf8",
    timeout: START_TIMEOUT_MS,
  });
  if (install.status !== 0) throw new Error(`mariadb-install-db failed:\n${install.stdout}\n${install.stderr}`);
  const port = await freePort();
  const child = spawn(
    SERVER,
    [
      "--no-defaults",
      `--datadir=${data}`,
      `--port=${port}`,
      `--bind-address=${HOST}`,
      `--socket=${join(dir, "mysqld.sock")}`,
      `--pid-file=${join(dir, "mysqld.pid")}`,
      "--skip-name-resolve",
      "--innodb-flush-log-at-trx-commit=2",
      "--innodb-buffer-pool-size=64M",
      "--max-connections=100",
      ...asRoot,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let output = "";
  child.stderr.on("data", (chunk) => (output = (output + chunk).slice(-4000)));
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.once("exit", () => process.off("exit", killOnExit));
  const { createConnection } = await import("mysql2/promise");
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`mariadbd did not start on port ${port}:\n${output}`);
    }
    try {
      await (await createConnection({ host: HOST, port, user: "root", connectTimeout: 1_000 })).end();
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const url = (database = "") => `mysql://root@${HOST}:${port}/${database}`;
  return {
    url,
    async createDatabase(name) {
      const connection = await createConnection({ host: HOST, port, user: "root" });
      try {
        await connection.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
      } finally {
        await connection.end();
      }
      return url(name);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
