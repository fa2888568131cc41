/** The gateway every HTTP run uses (the baseline speaks only it), and a sandbox per run. */
import { startServer } from "./child.mjs";
import { GATEWAY_ID } from "./xiangma-wire.mjs";

export const BENCH_GATEWAY = GATEWAY_ID;

/** Runs `use(sandbox)` against a fresh sandbox process, stopping it afterwards. */
export async function withSandbox(use) {
  const sandbox = await startServer("sandbox", {});
  try {
    return await use(sandbox);
  } finally {
    await sandbox.stop();
  }
}
