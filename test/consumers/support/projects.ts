/**
 * Fresh consumer projects outside the workspace (under the OS temp folder), installed with npm
 * from the packed tarballs plus ordinary registry packages, as a merchant's project would be.
 * npm's own cache (`--prefer-offline`) makes every install after the first one fast.
 */
import { cp, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runOk, type Ran } from "./commands.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));

export interface ProjectSpec {
  name: string;
  type: "module" | "commonjs";
  dependencies: Record<string, string>;
  /** Fixture folder (under test/consumers/fixtures) → where in the project it is copied ("." = its root). */
  fixtures: Readonly<Record<string, string>>;
}

export interface ConsumerProject {
  name: string;
  dir: string;
  install: Ran;
}

export async function createProject(root: string, spec: ProjectSpec): Promise<ConsumerProject> {
  const dir = join(root, spec.name);
  await mkdir(dir, { recursive: true });
  const manifest = { name: `paybridge-consumer-${spec.name}`, version: "1.0.0", private: true, type: spec.type, dependencies: spec.dependencies };
  await writeFile(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const [fixture, target] of Object.entries(spec.fixtures)) await cp(join(FIXTURES, fixture), join(dir, target), { recursive: true });
  const install = await runOk("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: dir,
    timeoutMs: 300_000,
  });
  return { name: spec.name, dir, install };
}

/** `node <script>` in a project; the script prints one JSON line on success. */
export async function runNode(project: ConsumerProject, args: readonly string[]): Promise<Record<string, unknown>> {
  const ran = await runOk(process.execPath, args, { cwd: project.dir, timeoutMs: 60_000 });
  const lastLine = ran.stdout.trim().split("\n").at(-1) ?? "";
  return JSON.parse(lastLine) as Record<string, unknown>;
}

export async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
}
