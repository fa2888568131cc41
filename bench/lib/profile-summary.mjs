/**
 * `node bench/lib/profile-summary.mjs <file.cpuprofile> [top]`: self and inclusive time per
 * function (and per file), from a V8 CPU profile, so a phase's hot spots read as text.
 */
import { readFileSync } from "node:fs";

const [file, topText = "30"] = process.argv.slice(2);
const top = Number(topText);
const profile = JSON.parse(readFileSync(file, "utf8"));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const selfSamples = new Map();
for (const id of profile.samples) selfSamples.set(id, (selfSamples.get(id) ?? 0) + 1);
const total = profile.samples.length;
const idle = new Set(["(idle)", "(program)", "(garbage collector)"]);

const shortUrl = (url) => url.replace(/^.*\/node_modules\/\.pnpm\/[^/]+\/node_modules\//, "").replace(/^.*\/packages\//, "packages/").replace(/^file:\/\//, "");
const label = (node) => `${node.callFrame.functionName || "(anonymous)"} ${shortUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;

const self = new Map();
const inclusive = new Map();
const byFile = new Map();
for (const [id, count] of selfSamples) {
  const node = nodes.get(id);
  self.set(label(node), (self.get(label(node)) ?? 0) + count);
  const fileKey = idle.has(node.callFrame.functionName) ? node.callFrame.functionName : shortUrl(node.callFrame.url) || "(native)";
  byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + count);
  // Each function once per sample, however deep it recurses.
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const key = label(nodes.get(at));
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + count);
  }
}

const pct = (n) => `${((100 * n) / total).toFixed(1).padStart(5)}%`;
const print = (title, map) => {
  console.log(`\n${title}`);
  for (const [key, n] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(n)}  ${key}`);
};
console.log(`${total} samples`);
print("self time by file", byFile);
print("self time by function", self);
print("inclusive time by function", inclusive);
