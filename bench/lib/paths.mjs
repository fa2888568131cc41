/**
 * Where the bench finds the BUILT packages (dist), so `pnpm bench` runs on plain Node with no
 * TypeScript loader. Tooling that only a package depends on (rollup and its plugins) is
 * required the way that package would see it.
 */
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

const packageFile = (relative) => fileURLToPath(new URL(`../../packages/${relative}`, import.meta.url));

export const distFiles = {
  middleware: packageFile("server-middleware/dist/index.js"),
  signing: packageFile("server-middleware/dist/gateways/kit/signing.js"),
  sandbox: packageFile("sandbox/dist/index.js"),
  clientEsm: packageFile("client/dist/index.js"),
  clientIife: packageFile("client/dist/paybridge.iife.js"),
};

/** `require` as packages/client resolves it (rollup, its plugins). */
export const requireFromClient = createRequire(packageFile("client/package.json"));
