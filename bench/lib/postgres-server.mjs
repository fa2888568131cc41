/**
 * A throw-away PostgreSQL server for the bench: Debian's binaries, `initdb` into a temp folder,
 * `pg_ctl start` on a free loopback port (as root, run as the `postgres` user), fsync off;
 * stopped (immediate) and removed after the run. As test/support/postgres-server.ts does; that
 * file is TypeScript, which `pnpm bench` does not load.
 */
import { spawnSync } from "node:child_process";
import { chownSync, existsSync, readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./redis-server.mjs";

const HOST = "127.0.0.1";
const SUPERUSER = "paybridge";

function findBinDir() {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((name) => existsSync(join(root, name, "bin", "initdb"))) : [];
  const newest = versions.sort((a, b) => Number(a) - Number(b)).pop();
  return newest ? join(root, newest, "bin") : undefined;
}

const BIN_DIR = findBinDir();

export function postgresServerMissing() {
  return BIN_DIR === undefined;
}

function serverUser() {
  if (process.getuid?.() !== 0) return undefined;
  const uid = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  if (uid.status !== 0) throw new Error("running as root needs a `postgres` user to run PostgreSQL as");
  return { name: "postgres", uid: Number(uid.stdout), gid: Number(gid.stdout) };
}

function run(command, args, timeoutMs) {
  const user = serverUser();
  const [file, argv] = user ? ["runuser", ["-u", user.name, "--", command, ...args]] : [command, args];
  const result = spawnSync(file, argv, { encoding: "utf8", timeout: timeoutMs });
  if (result.status !== 0) throw new Error(`${command} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
}

/** Resolves `{ url(database), createDatabase(name), stop() }`. */
export async function startPostgresServer() {
  if (!BIN_DIR) throw new Error("PostgreSQL is not installed");
  const dir = await mkdtemp(join(tmpdir(), "paybridge-bench-postgres-"));
  const user = serverUser();
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, "data");
  const port = await freePort();
  run(join(BIN_DIR, "initdb"), ["-D", data, "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"], 60_000);
  const serverOptions = `-c listen_addresses=${HOST} -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100`;
  const pgCtl = join(BIN_DIR, "pg_ctl");
  const stopNow = () => spawnSync(user ? "runuser" : pgCtl, [...(user ? ["-u", user.name, "--", pgCtl] : []), "-D", data, "-m", "immediate", "-w", "stop"], { timeout: 30_000 });
  process.once("exit", stopNow);
  run(pgCtl, ["-D", data, "-l", join(dir, "server.log"), "-o", serverOptions, "-w", "-t", "60", "start"], 70_000);
  const url = (database = "postgres") => `postgres://${SUPERUSER}@${HOST}:${port}/${database}`;
  return {
    url,
    async createDatabase(name) {
      const { default: pg } = await import("pg");
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
