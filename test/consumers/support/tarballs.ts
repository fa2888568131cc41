/**
 * The tarballs as they would be published: `pnpm pack` of each package (the packages are
 * already built by the test command, so prepack skips its build), into a temporary folder; or
 * the ones in the folder PAYBRIDGE_CONSUMER_TARBALLS names.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { pnpmCommand, runOk } from "./commands.js";

export const WORKSPACE = fileURLToPath(new URL("../../../", import.meta.url));
export const PACKAGES = ["shared", "server-middleware", "client", "sandbox", "cli"] as const;
export type PackageDir = (typeof PACKAGES)[number];
export type Tarballs = Record<PackageDir, string>;

export const PACKAGE_NAMES: Record<PackageDir, string> = {
  shared: "@paybridge/shared",
  "server-middleware": "@paybridge/server-middleware",
  client: "@paybridge/client",
  sandbox: "@paybridge/sandbox",
  cli: "@paybridge/cli",
};

/** The `paybridge-<dir>-<version>.tgz` of every package in `folder`. */
export async function givenTarballs(folder: string): Promise<Tarballs> {
  const files = await readdir(folder);
  const pick = (dir: PackageDir): string => {
    const file = files.find((name) => name.startsWith(`paybridge-${dir}-`) && name.endsWith(".tgz"));
    if (!file) throw new Error(`no paybridge-${dir}-*.tgz in ${folder}`);
    return join(folder, file);
  };
  return Object.fromEntries(PACKAGES.map((dir) => [dir, pick(dir)])) as Tarballs;
}

export async function packTarballs(destination: string): Promise<Tarballs> {
  const [command, prefix] = pnpmCommand();
  const tarballs = {} as Tarballs;
  for (const name of PACKAGES) {
    const before = new Set(await readdir(destination));
    await runOk(command, [...prefix, "pack", "--pack-destination", destination], {
      cwd: join(WORKSPACE, "packages", name),
      timeoutMs: 120_000,
      env: { PAYBRIDGE_PREPACK_SKIP_BUILD: "1" },
    });
    const added = (await readdir(destination)).filter((file) => !before.has(file) && file.endsWith(".tgz"));
    if (added.length !== 1) throw new Error(`pnpm pack of ${name} wrote ${added.length} tarballs`);
    tarballs[name] = join(destination, added[0] as string);
  }
  return tarballs;
}
