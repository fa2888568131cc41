/**
 * Child processes for the consumer matrix: bounded in time, output captured, and run with an
 * environment cleaned of the npm_* / pnpm variables `pnpm test` sets, so a consumer's npm sees
 * only the user's own configuration, as on a merchant's machine.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  cwd: string;
  timeoutMs: number;
  env?: Record<string, string>;
}

/** The environment of a consumer: ours without package-manager variables. */
export function consumerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(npm_|pnpm_|PNPM_|NODE_OPTIONS$|INIT_CWD$|VITEST|TEST$)/.test(name)) env[name] = value;
  }
  return { ...env, ...extra };
}

export function run(command: string, args: readonly string[], options: RunOptions): Promise<Ran> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: consumerEnv(options.env), stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    // The whole process group: npm and vite start children of their own.
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${options.timeoutMs} ms]`;
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    }, options.timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Math.round(performance.now() - started) });
    });
  });
}

/** Throws with the command's output unless it exited 0. */
export async function runOk(command: string, args: readonly string[], options: RunOptions): Promise<Ran> {
  const ran = await run(command, args, options);
  if (ran.code !== 0) {
    throw new Error(`${command} ${args.join(" ")} (in ${options.cwd}) exited ${ran.code}\n${ran.stdout.slice(-4000)}\n${ran.stderr.slice(-4000)}`);
  }
  return ran;
}

const workspaceRequire = createRequire(import.meta.url);

/** The workspace's own TypeScript compiler (the consumers do not install one). */
export const TSC = join(dirname(workspaceRequire.resolve("typescript/package.json")), "bin", "tsc");

/** pnpm: the one running `pnpm test`, else `npx -y pnpm@10` as the README says. */
export function pnpmCommand(): [string, string[]] {
  const execPath = process.env.npm_execpath ?? "";
  if (/pnpm/.test(execPath) && /\.[cm]?js$/.test(execPath)) return [process.execPath, [execPath]];
  return ["npx", ["-y", "pnpm@10"]];
}
