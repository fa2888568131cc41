/**
 * Starts a throwaway MariaDB server for the MySQL store tests: Debian's mariadb-server,
 * `mariadb-install-db` into a temp folder and `mariadbd` on a free loopback port, its socket in
 * that folder (as root, with --user=root). Without the binaries, CI fails loudly (it must run
 * everything) and a developer's run skips the MySQL suites with a warning:
 * `describe.skipIf(mariadbServerMissing)(...)`.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createConnection } from "mysql2/promise";
import { freePort } from "./free-port.js";

const HOST = "127.0.0.1";
const START_TIMEOUT_MS = 60_000;

function findBinary(names: string[]): string | undefined {
  for (const name of names) {
    for (const dir of ["/usr/sbin", "/usr/bin", "/usr/local/bin", "/usr/local/sbin"]) {
      if (spawnSync(join(dir, name), ["--version"]).status === 0) return join(dir, name);
    }
  }
  return undefined;
}

const INSTALL_DB = findBinary(["mariadb-install-db", "mysql_install_db"]);
const SERVER = findBinary(["mariadbd", "mysqld"]);
export const mariadbServerMissing = INSTALL_DB === undefined || SERVER === undefined;
if (mariadbServerMissing) {
  const message = "MariaDB's server (mariadbd, mariadb-install-db) is not installed, so the MySQL store tests cannot run. Install it with `apt-get install mariadb-server`.";
  if (process.env.CI) throw new Error(message);
  console.warn(`\n!!! SKIPPING MYSQL/MARIADB TESTS: ${message}\n`);
}

export interface MariadbServer {
  port: number;
  /** A mysql:// URL of a database on this server (default: none selected). */
  url(database?: string): string;
  /** Creates an empty utf8mb4 database and resolves its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

export async function startMariadbServer(): Promise<MariadbServer> {
  if (!INSTALL_DB || !SERVER) throw new Error("MariaDB is not installed");
  const dir = await mkdtemp(join(tmpdir(), "paybridge-mariadb-"));
  const data = join(dir, "data");
  const asRoot = process.getuid?.() === 0 ? ["--user=root"] : [];
  const install = spawnSync(
    INSTALL_DB,
    ["--no-defaults", `--datadir=${data}`, "--auth-root-authentication-method=normal", "--skip-test-db", ...asRoot],
    { encoding: "utf8", timeout: START_TIMEOUT_MS },
  );
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
      "--max-connections=300",
      ...asRoot,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.once("exit", () => process.off("exit", killOnExit));
  const url = (database = "") => `mysql://root@${HOST}:${port}/${database}`;
  await waitUntilUp(child, port, () => output);
  return {
    port,
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
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitUntilUp(child: ChildProcess, port: number, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (child.exitCode === null && child.signalCode === null && Date.now() < deadline) {
    try {
      const connection = await createConnection({ host: HOST, port, user: "root", connectTimeout: 1_000 });
      await connection.end();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  child.kill("SIGKILL");
  throw new Error(`mariadbd did not start on port ${port}:\n${output()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  await exited;
  clearTimeout(timer);
}
