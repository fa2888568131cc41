/**
 * Client size: the IIFE a script tag loads, and what an app that imports only
 * `createPayClient` and pays with one channel ships after tree-shaking (rollup +
 * node-resolve + terser over a tiny entry file in a temp dir).
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { distFiles, requireFromClient } from "../lib/paths.mjs";

export const IIFE_GZIP_BUDGET = 8_000;
/** The reference browser SDK, measured the same way (gzip -9 of its minified build). */
export const REFERENCE_SDK = { name: "pingpp-js 2.3.1", gzip9Bytes: 8_064 };

const MINIMAL_APP = `import { createPayClient } from "@paybridge/client";
const client = createPayClient({ endpoint: "/pay" });
export function payWithWechat(orderNo) {
  return client.pay({ orderNo, channel: "wechat" });
}
`;

export async function measureClientSize() {
  const iife = await readFile(distFiles.clientIife);
  const iifeSizes = sizes(iife);
  const app = await bundleMinimalApp();
  return {
    iife: {
      file: "packages/client/dist/paybridge.iife.js",
      ...iifeSizes,
      budgetGzip9Bytes: IIFE_GZIP_BUDGET,
      withinBudget: iifeSizes.gzip9Bytes <= IIFE_GZIP_BUDGET,
      reference: REFERENCE_SDK,
    },
    treeShakenApp: { entry: MINIMAL_APP, ...sizes(Buffer.from(app, "utf8")) },
  };
}

function sizes(bytes) {
  return { rawBytes: bytes.length, gzip9Bytes: gzipSync(bytes, { level: 9 }).length };
}

function eventemitter3Esm() {
  return path.join(path.dirname(requireFromClient.resolve("eventemitter3/package.json")), "dist/eventemitter3.esm.js");
}

async function bundleMinimalApp() {
  const { rollup } = requireFromClient("rollup");
  const { nodeResolve } = requireFromClient("@rollup/plugin-node-resolve");
  const terser = requireFromClient("@rollup/plugin-terser");
  const dir = await mkdtemp(path.join(os.tmpdir(), "paybridge-bench-"));
  try {
    const entry = path.join(dir, "app.mjs");
    await writeFile(entry, MINIMAL_APP);
    const bundle = await rollup({
      input: entry,
      plugins: [
        // The app would install @paybridge/client; here it is the built package in the repo.
        { name: "paybridge-client", resolveId: (id) => (id === "@paybridge/client" ? distFiles.clientEsm : null) },
        // eventemitter3's "import" entry wraps CommonJS; without a CommonJS plugin an app takes
        // its own ESM build, as the client's IIFE build does.
        { name: "eventemitter3-esm", resolveId: (id) => (id === "eventemitter3" ? eventemitter3Esm() : null) },
        nodeResolve({ browser: true }),
        terser({ format: { comments: false } }),
      ],
      onwarn: (warning) => {
        throw new Error(`tree-shaken bundle: ${warning.message}`);
      },
    });
    const { output } = await bundle.generate({ format: "es" });
    await bundle.close();
    return output[0].code;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
