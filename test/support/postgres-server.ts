/**
 * Starts a throwaway PostgreSQL server for the SQL store tests: Debian's binaries
 * (/usr/lib/postgresql/<version>/bin), `initdb` into a temp folder and `pg_ctl start` on a free
 * loopback port, its socket in that folder. initdb refuses to run as root: as root, the server
 * runs as the `postgres` user. Without the binaries, CI fails loudly (it must run everything)
 * and a developer's run skips the PostgreSQL suites with a warning:
 * `describe.skipIf(postgresServerMissing)(...)`.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { chownSync, existsSync, readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { freePort } from "./free-port.js";

const HOST = "127.0.0.1";
const SUPERUSER = "paybridge";

/** The newest installed server's bin folder, or undefined. */
function findBinDir(): string | undefined {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((name) => existsSync(join(root, name, "bin", "initdb"))) : [];
  const newest = versions.sort((a, b) => Number(a) - Number(b)).pop();
  if (newest) return join(root, newest, "bin");
  const onPath = spawnSync("pg_config", ["--bindir"], { encoding: "utf8" });
  const dir = onPath.status === 0 ? onPath.stdout.trim() : "";
  return dir && existsSync(join(dir, "initdb")) ? dir : undefined;
}

const BIN_DIR = findBinDir();
export const postgresServerMissing = BIN_DIR === undefined;
if (postgresServerMissing) {
  const message = "PostgreSQL's server binaries (initdb, pg_ctl) are not installed, so the PostgreSQL store tests cannot run. Install them with `apt-get install postgresql`.";
  if (process.env.CI) throw new Error(message);
  console.warn(`\n!!! SKIPPING POSTGRESQL TESTS: ${message}\n`);
}

/** As root, the uid and gid of the user the server runs as (initdb and postgres refuse root). */
function serverUser(): { name: string; uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  if (uid.status !== 0) throw new Error("running as root needs a `postgres` user to run PostgreSQL as (Debian's postgresql package creates it)");
  return { name: "postgres", uid: Number(uid.stdout), gid: Number(gid.stdout) };
}

function run(command: string, args: string[], timeoutMs: number): SpawnSyncReturns<string> {
  const user = serverUser();
  const [file, argv] = user ? ["runuser", ["-u", user.name, "--", command, ...args]] : [command, args];
  const result = spawnSync(file, argv, { encoding: "utf8", timeout: timeoutMs });
  if (result.status !== 0) throw new Error(`${command} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  return result;
}

export interface PostgresServer {
  port: number;
  /** A postgres:// URL of a database on this server (default: `postgres`). */
  url(database?: string): string;
  /** Creates an empty database and resolves its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server at once and removes its folder. */
  stop(): Promise<void>;
}

export async function startPostgresServer(): Promise<PostgresServer> {
  if (!BIN_DIR) throw new Error("PostgreSQL is not installed");
  const dir = await mkdtemp(join(tmpdir(), "paybridge-postgres-"));
  const user = serverUser();
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, "data");
  const port = await freePort();
  run(join(BIN_DIR, "initdb"), ["-D", data, "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"], 60_000);
  // fsync off: a test server's data need not survive a crash of the machine.
  const serverOptions = `-c listen_addresses=${HOST} -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const pgCtl = join(BIN_DIR, "pg_ctl");
  const stopNow = () => spawnSync(user ? "runuser" : pgCtl, [...(user ? ["-u", user.name, "--", pgCtl] : []), "-D", data, "-m", "immediate", "-w", "stop"], { timeout: 30_000 });
  process.once("exit", stopNow);
  run(pgCtl, ["-D", data, "-l", join(dir, "server.log"), "-o", serverOptions, "-w", "-t", "60", "start"], 70_000);
  const url = (database = "postgres") => `postgres://${SUPERUSER}@${HOST}:${port}/${database}`;
  return {
    port,
    url,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async stop() {
      process.off("exit", stopNow);
      stopNow();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
