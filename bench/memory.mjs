/**
 * `node bench/memory.mjs` (after `pnpm build`): runs only the memory section and writes it into
 * bench/results.json, keeping the other sections' figures as they were.
 */
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describeMachine } from "./lib/machine.mjs";
import { measureMemory } from "./sections/memory.mjs";

const RESULTS_FILE = fileURLToPath(new URL("./results.json", import.meta.url));
const results = JSON.parse(await readFile(RESULTS_FILE, "utf8"));
const memory = await measureMemory();
results.memory = { ...memory, machine: describeMachine() };
await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results.memory, null, 2));
