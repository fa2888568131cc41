/**
 * Servers under load run in their own processes, so the load generator (autocannon, in the
 * parent) does not share an event loop with what it measures. Parent and child talk over
 * the IPC channel: the child says `ready` with its URL, answers named requests, and closes
 * its servers on `stop`.
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";

const STARTUP_TIMEOUT_MS = 20_000;
// BENCH_REQUEST_TIMEOUT_MS: longer on a machine busy with other work (a request's work is bounded, its time is not).
const REQUEST_TIMEOUT_MS = Number(process.env.BENCH_REQUEST_TIMEOUT_MS ?? 20_000);

/** Parent side: starts bench/servers/<name>.mjs with `config` and resolves once it listens. */
export function startServer(name, config) {
  const file = fileURLToPath(new URL(`../servers/${name}.mjs`, import.meta.url));
  // --expose-gc: the parent settles a server's heap (`collectGarbage`) before a measured phase.
  const child = fork(file, [JSON.stringify(config)], { stdio: ["ignore", "inherit", "inherit", "ipc"], execArgv: [...process.execArgv, "--expose-gc"] });
  let nextId = 1;
  const pending = new Map();
  let exited = false;

  const failAll = (error) => {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };

  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} server did not start in ${STARTUP_TIMEOUT_MS} ms`)), STARTUP_TIMEOUT_MS);
    child.on("message", (message) => {
      if (message.type === "ready") {
        clearTimeout(timer);
        resolve(message.url);
      } else if (message.type === "failed") {
        clearTimeout(timer);
        reject(new Error(`${name} server failed to start: ${message.error}`));
      } else if (message.type === "reply") {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (!waiter) return;
        if (message.error) waiter.reject(new Error(`${name}: ${message.error}`));
        else waiter.resolve(message.value);
      }
    });
    child.on("exit", (code, signal) => {
      exited = true;
      clearTimeout(timer);
      const error = new Error(`${name} server exited (${signal ?? code})`);
      reject(error);
      failAll(error);
    });
  });

  return ready.then((url) => ({
    url,
    /** Calls a handler the child registered (e.g. `paidCounts`). */
    request(type, payload) {
      if (exited) return Promise.reject(new Error(`${name} server is not running`));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${name}: no answer to ${type} in ${REQUEST_TIMEOUT_MS} ms`));
        }, REQUEST_TIMEOUT_MS);
        pending.set(id, {
          resolve: (value) => (clearTimeout(timer), resolve(value)),
          reject: (error) => (clearTimeout(timer), reject(error)),
        });
        child.send({ type: "request", id, name: type, payload });
      });
    },
    stop() {
      if (exited) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        child.once("exit", () => (clearTimeout(timer), resolve()));
        child.send({ type: "stop" });
      });
    },
  }));
}

/**
 * Child side: `start(config)` listens and resolves `{ url, handlers?, close }`; the process
 * then serves the parent's requests (and `cpuUsage`) until told to stop (or the parent goes away).
 */
export async function serveParent(start) {
  const config = JSON.parse(process.argv[2] ?? "{}");
  let server;
  try {
    server = await start(config);
  } catch (error) {
    process.send({ type: "failed", error: error instanceof Error ? error.stack : String(error) });
    process.exit(1);
  }
  // CPU time of this process, so the parent can charge a run's CPU to the server that did it.
  const handlers = { cpuUsage: () => process.cpuUsage(), collectGarbage, ...cpuProfileHandlers(), ...server.handlers };
  const shutdown = async () => {
    await server.close();
    process.exit(0);
  };
  process.on("disconnect", shutdown);
  process.on("message", async (message) => {
    if (message.type === "stop") return shutdown();
    if (message.type !== "request") return;
    const handler = handlers[message.name];
    try {
      if (!handler) throw new Error(`no handler ${message.name}`);
      process.send({ type: "reply", id: message.id, value: await handler(message.payload) });
    } catch (error) {
      process.send({ type: "reply", id: message.id, error: error instanceof Error ? error.message : String(error) });
    }
  });
  process.send({ type: "ready", url: server.url });
}

/**
 * `profileStart` / `profileStop({ file })`: a V8 CPU profile of this process over a phase the
 * parent chooses (written as a .cpuprofile, for Chrome DevTools or bench/lib/profile-summary.mjs).
 */
function cpuProfileHandlers() {
  let session;
  const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  return {
    async profileStart() {
      const { Session } = await import("node:inspector");
      session = new Session();
      session.connect();
      await post("Profiler.enable");
      await post("Profiler.setSamplingInterval", { interval: 100 });
      await post("Profiler.start");
    },
    async profileStop({ file }) {
      const { profile } = await post("Profiler.stop");
      session.disconnect();
      const { writeFile } = await import("node:fs/promises");
      await writeFile(file, JSON.stringify(profile));
      return file;
    },
  };
}

/** Listens on 127.0.0.1 with a free port; resolves the server and its base URL. */
export function listenOnLoopback(app) {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, "127.0.0.1", (error) => {
      if (error) return reject(error);
      const { port } = server.address();
      resolve({ server, url: `http://127.0.0.1:${port}` });
    });
    server.on("error", reject);
  });
}

export function closeServer(server) {
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * A full garbage collection, twice (what the first frees may let the second free), so a phase
 * is not billed for the collection of what a setup before it left (e.g. 38,000 order creations).
 */
function collectGarbage() {
  globalThis.gc?.();
  globalThis.gc?.();
  return typeof globalThis.gc === "function";
}
