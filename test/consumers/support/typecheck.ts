/** The matrix's TypeScript cells: consumer files type-checked inside a consumer project. */
import { join } from "node:path";
import { TSC, run, type Ran } from "./commands.js";
import { writeJson, type ConsumerProject } from "./projects.js";

export const RESOLUTIONS = {
  nodenext: { module: "nodenext", moduleResolution: "nodenext" },
  bundler: { module: "esnext", moduleResolution: "bundler" },
  node10: { module: "commonjs", moduleResolution: "node10" },
} as const;

/**
 * Type-checks consumer files with the workspace's tsc. `libCheck` keeps TypeScript's default
 * skipLibCheck: false, under which a declaration importing a missing package (ioredis) fails;
 * it triples the time (all of @types/node is checked), so the cells that need it have it.
 */
export async function typeCheck(project: ConsumerProject, name: string, options: object, files: string[], libCheck: boolean): Promise<Ran> {
  const config = `tsconfig.${name}.json`;
  await writeJson(join(project.dir, config), {
    compilerOptions: {
      target: "ES2022",
      lib: ["ES2022", "DOM"],
      types: ["node"],
      strict: true,
      exactOptionalPropertyTypes: true,
      esModuleInterop: true,
      noEmit: true,
      ...(libCheck ? {} : { skipLibCheck: true }),
      ...options,
    },
    files,
  });
  return run(process.execPath, [TSC, "-p", config], { cwd: project.dir, timeoutMs: 240_000 });
}
