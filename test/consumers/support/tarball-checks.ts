/**
 * What the matrix's "tarball" cells check in each published tarball: its files, its metadata,
 * no `workspace:` range, and an exports map every kind of resolver reads (types first, a
 * `default`, typesVersions for node10), pointing only at files the tarball has.
 */
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { expect } from "vitest";
import { runOk } from "./commands.js";
import { WORKSPACE, type PackageDir } from "./tarballs.js";

/** The entries of a tarball (`tar -tzf`), without the leading `package/`. */
export async function tarballFiles(tarball: string): Promise<string[]> {
  const listed = await runOk("tar", ["-tzf", tarball], { cwd: dirname(tarball), timeoutMs: 30_000 });
  return listed.stdout.split("\n").filter(Boolean).map((entry) => entry.replace(/^package\//, ""));
}

export async function tarballManifest(tarball: string): Promise<Record<string, unknown>> {
  const read = await runOk("tar", ["-xOzf", tarball, "package/package.json"], { cwd: dirname(tarball), timeoutMs: 30_000 });
  return JSON.parse(read.stdout) as Record<string, unknown>;
}

/** Every file path an `exports` map (or a top-level field) points at. */
function exportTargets(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (value && typeof value === "object") return Object.values(value).flatMap(exportTargets);
  return [];
}

/** Checks one package's tarball; returns the cell's detail. */
export async function checkPublishedTarball(dir: PackageDir, tarball: string): Promise<string> {
  const files = await tarballFiles(tarball);
  const manifest = await tarballManifest(tarball);
  expect(files).toEqual(expect.arrayContaining(["package.json", "README.md", "LICENSE"]));
  expect(files.filter((file) => /^(src|test)\//.test(file))).toEqual([]);
  expect(manifest).toMatchObject({
    license: "MIT",
    engines: { node: "^20.19.0 || >=22.12.0" },
    repository: { type: "git", directory: `packages/${dir}` },
    homepage: expect.any(String),
    bugs: expect.any(String),
    keywords: expect.arrayContaining(["payment"]),
  });
  // pnpm drops the prepack script from the published manifest; the workspace one builds.
  const source = JSON.parse(await readFile(join(WORKSPACE, "packages", dir, "package.json"), "utf8")) as { scripts: Record<string, string> };
  expect(source.scripts.prepack).toBe("node ../../scripts/prepack.mjs");
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies", "devDependencies"]) {
    const ranges = Object.values((manifest[field] ?? {}) as Record<string, string>);
    expect(ranges.filter((range) => range.startsWith("workspace:")), field).toEqual([]);
  }
  const exportsMap = manifest.exports as Record<string, unknown>;
  expect(exportsMap["./package.json"]).toBe("./package.json");
  // Every code entry: types first, and a `default` (not `import` only), so require() reaches
  // it; every subpath with types is also in typesVersions, for moduleResolution node10.
  const typesVersions = ((manifest.typesVersions ?? {}) as Record<string, Record<string, string[]>>)["*"] ?? {};
  for (const [subpath, target] of Object.entries(exportsMap)) {
    if (subpath === "./package.json") continue;
    expect(target, subpath).toMatchObject({ types: expect.any(String), default: expect.any(String) });
    expect(Object.keys(target as object)[0], subpath).toBe("types");
    if (subpath !== ".") expect(typesVersions[subpath.slice(2)], `typesVersions for ${subpath}`).toEqual([(target as { types: string }).types]);
  }
  const targets = [...exportTargets(exportsMap), ...exportTargets([manifest.main, manifest.types, manifest.unpkg, manifest.jsdelivr])];
  expect(targets.filter((target) => !files.includes(target.replace(/^\.\//, "")))).toEqual([]);
  if (dir === "client") {
    expect(manifest).toMatchObject({ unpkg: "./dist/paybridge.iife.js", jsdelivr: "./dist/paybridge.iife.js" });
  }
  if (dir === "server-middleware") {
    // 0.2.0 moved the sandbox to @paybridge/sandbox: no subpath, no files of it left behind.
    expect(Object.keys(exportsMap)).not.toContain("./sandbox");
    expect(files.filter((file) => file.startsWith("dist/sandbox/"))).toEqual([]);
  }
  if (dir === "sandbox") {
    // An Express app of its own: express (and its types) come with it; server-middleware at its real version.
    const dependencies = (manifest.dependencies ?? {}) as Record<string, string>;
    expect(Object.keys(dependencies).sort()).toEqual(["@paybridge/server-middleware", "@paybridge/shared", "@types/express", "express"]);
    expect(dependencies["@paybridge/server-middleware"]).toMatch(/^\d+\.\d+\.\d+/);
    expect(manifest.peerDependencies).toBeUndefined();
  }
  return `${files.length} files, ${Object.keys(exportsMap).length} exports`;
}
