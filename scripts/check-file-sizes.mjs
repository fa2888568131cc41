#!/usr/bin/env node
/**
 * Every source file short enough to read in one sitting: at most 300 lines. Run by
 * `pnpm check` (part of `pnpm test`); lists each file over the limit and exits 1.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const MAX_LINES = 300;
const root = fileURLToPath(new URL("..", import.meta.url));
const roots = ["packages", "examples", "bench", "scripts", "test"].map((dir) => join(root, dir));
const SOURCE = /\.(ts|mts|cts|mjs|cjs|js)$/;
const SKIP = new Set(["node_modules", "dist", "coverage", ".git"]);

function* sources(dir) {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (SOURCE.test(name)) yield path;
  }
}

const over = [];
for (const dir of roots) {
  for (const file of sources(dir)) {
    const lines = readFileSync(file, "utf8").split("\n").length - 1;
    if (lines > MAX_LINES) over.push(`${relative(root, file)}: ${lines} lines`);
  }
}
if (over.length > 0) {
  console.error(`files over ${MAX_LINES} lines:\n  ${over.join("\n  ")}`);
  process.exit(1);
}
console.log(`file sizes: every source file is at most ${MAX_LINES} lines`);
