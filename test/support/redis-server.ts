/**
 * Starts a throwaway redis-server on a free loopback port for the Redis tests. Without a
 * redis-server binary, CI fails loudly (it must run everything) and a developer's run skips the
 * Redis suites with a warning: `describe.skipIf(redisServerMissing)(...)`.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const REDIS_SERVER = "redis-server";
const HOST = "127.0.0.1";
const START_TIMEOUT_MS = 10_000;

export const redisServerMissing = spawnSync(REDIS_SERVER, ["--version"]).error !== undefined;
if (redisServerMissing) {
  const message = `${REDIS_SERVER} is not installed, so the Redis tests cannot run. Install it with \`apt-get install redis-server\` (or \`brew install redis\`).`;
  if (process.env.CI) throw new Error(message);
  console.warn(`\n!!! SKIPPING REDIS TESTS: ${message}\n`);
}

export interface RedisServer {
  url: string;
  port: number;
  /** Shuts the server down without saving and removes its directory. */
  stop(): Promise<void>;
  /** Shuts the server down saving its data, and starts it again on the same port with that data. */
  restart(): Promise<void>;
}

export async function startRedisServer(): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), "paybridge-redis-"));
  const port = await freePort();
  let child = await launch(port, dir);
  return {
    url: `redis://${HOST}:${port}`,
    port,
    async stop() {
      await shutdown(child, port, "NOSAVE");
      await rm(dir, { recursive: true, force: true });
    },
    async restart() {
      await shutdown(child, port, "SAVE");
      child = await launch(port, dir);
    },
  };
}

async function launch(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    REDIS_SERVER,
    ["--port", String(port), "--bind", HOST, "--save", "", "--appendonly", "no", "--dir", dir, "--daemonize", "no"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.once("exit", () => process.off("exit", killOnExit));

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (child.exitCode === null && child.signalCode === null) {
    if ((await command(port, "PING").catch(() => "")) === "+PONG") return child;
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill("SIGKILL");
  throw new Error(`redis-server did not start on port ${port}:\n${output}`);
}

async function shutdown(child: ChildProcess, port: number, mode: "SAVE" | "NOSAVE"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  // SHUTDOWN closes the connection instead of replying; a SAVE failure would reply with an error.
  const reply = await command(port, `SHUTDOWN ${mode}`).catch(() => "");
  if (reply.startsWith("-")) throw new Error(`redis-server SHUTDOWN ${mode} failed: ${reply}`);
  await exited;
}

/** Sends one inline command and resolves the first line of the reply ("" if the server hung up). */
function command(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: HOST, port });
    let reply = "";
    socket.setEncoding("utf8");
    socket.once("error", reject);
    socket.on("data", (chunk: string) => {
      reply += chunk;
      if (reply.includes("\r\n")) socket.end();
    });
    socket.once("close", () => resolve(reply.split("\r\n")[0] ?? ""));
    socket.write(`${line}\r\n`);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
