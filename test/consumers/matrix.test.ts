/**
 * The packages installed as users install them. The tarballs `pnpm pack` makes are installed
 * with npm into fresh projects under the OS temp folder (outside the workspace), and each cell
 * uses them the way one kind of merchant would: require() from CommonJS, import from ES
 * modules, TypeScript under nodenext / bundler / node10 with exactOptionalPropertyTypes (with and
 * without ioredis), an Express 4 and an Express 5 app taking an order and a sandbox notify on
 * 127.0.0.1, a Vite SPA build, and the script-tag build in headless Chromium. publint and
 * @arethetypeswrong/cli check every tarball. The file ends by printing the pass/fail table.
 *
 * PAYBRIDGE_CONSUMER_TARBALLS=<folder with the three .tgz> runs the matrix on other tarballs
 * (e.g. those of an older commit) instead of packing the workspace.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { chromiumAvailable, launchChromium } from "../support/browser.js";
import { TSC, run, runOk } from "./support/commands.js";
import { SkipCell, cell, matrixTable } from "./support/matrix.js";
import { createProject, writeJson, type ConsumerProject } from "./support/projects.js";
import { serveFiles } from "./support/static-server.js";
import { PACKAGES, WORKSPACE, packTarballs, type PackageDir, type Tarballs } from "./support/tarballs.js";

const workspaceRequire = createRequire(import.meta.url);

/** Registry packages of the consumer projects: the versions a merchant would install today. */
const VERSIONS = {
  express4: "^4.21.2",
  express5: "^5.1.0",
  typesExpress4: "^4.17.23",
  typesExpress5: "^5.0.3",
  typesNode: "^20.19.0",
  ioredis: "^5.9.2",
  // Vite 6 runs on Node 18, 20 and 22+ (Vite 7 needs 20.19+): the widest merchant range.
  vite: "^6.3.5",
} as const;

const PACKAGE_NAMES: Record<PackageDir, string> = {
  shared: "@paybridge/shared",
  "server-middleware": "@paybridge/server-middleware",
  client: "@paybridge/client",
};

let root: string;
let tarballs: Tarballs;
/** Express 5 + ioredis, ES module project. */
let express5: ConsumerProject;
/** Express 4 without ioredis, CommonJS project. */
let express4: ConsumerProject;
/** A Vite single-page app with only the client. */
let spa: ConsumerProject;

async function givenTarballs(folder: string): Promise<Tarballs> {
  const files = await readdir(folder);
  const pick = (dir: PackageDir): string => {
    const file = files.find((name) => name.startsWith(`paybridge-${dir}-`) && name.endsWith(".tgz"));
    if (!file) throw new Error(`no paybridge-${dir}-*.tgz in ${folder}`);
    return join(folder, file);
  };
  return { shared: pick("shared"), "server-middleware": pick("server-middleware"), client: pick("client") };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "paybridge-consumers-"));
  const given = process.env.PAYBRIDGE_CONSUMER_TARBALLS;
  tarballs = given ? await givenTarballs(given) : await packTarballs(root);
  const paybridgeDeps = Object.fromEntries(PACKAGES.map((dir) => [PACKAGE_NAMES[dir], `file:${tarballs[dir]}`]));
  // The installs share npm's cache; run side by side.
  [express5, express4, spa] = await Promise.all([
    createProject(root, {
      name: "express5-esm",
      type: "module",
      dependencies: {
        ...paybridgeDeps,
        express: VERSIONS.express5,
        ioredis: VERSIONS.ioredis,
        "@types/express": VERSIONS.typesExpress5,
        "@types/node": VERSIONS.typesNode,
      },
      fixtures: { node: "node", ts: "ts" },
    }),
    createProject(root, {
      name: "express4-cjs",
      type: "commonjs",
      dependencies: {
        ...paybridgeDeps,
        express: VERSIONS.express4,
        "@types/express": VERSIONS.typesExpress4,
        "@types/node": VERSIONS.typesNode,
      },
      fixtures: { node: "node", ts: "ts" },
    }),
    createProject(root, {
      name: "vite-spa",
      type: "module",
      dependencies: { "@paybridge/client": `file:${tarballs.client}`, vite: VERSIONS.vite },
      fixtures: { spa: "." },
    }),
  ]);
}, 600_000);

afterAll(async () => {
  console.log(`\n${matrixTable()}\n`);
  if (root && !process.env.PAYBRIDGE_KEEP_CONSUMERS) await rm(root, { recursive: true, force: true });
});

/** `node <script>` in a project; the script prints one JSON line on success. */
async function runNode(project: ConsumerProject, args: readonly string[]): Promise<Record<string, unknown>> {
  const ran = await runOk(process.execPath, args, { cwd: project.dir, timeoutMs: 60_000 });
  const lastLine = ran.stdout.trim().split("\n").at(-1) ?? "";
  return JSON.parse(lastLine) as Record<string, unknown>;
}

/** The entries of a tarball (`tar -tzf`), without the leading `package/`. */
async function tarballFiles(tarball: string): Promise<string[]> {
  const listed = await runOk("tar", ["-tzf", tarball], { cwd: root, timeoutMs: 30_000 });
  return listed.stdout.split("\n").filter(Boolean).map((entry) => entry.replace(/^package\//, ""));
}

async function tarballManifest(tarball: string): Promise<Record<string, unknown>> {
  const read = await runOk("tar", ["-xOzf", tarball, "package/package.json"], { cwd: root, timeoutMs: 30_000 });
  return JSON.parse(read.stdout) as Record<string, unknown>;
}

/** Every file path an `exports` map (or a top-level field) points at. */
function exportTargets(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (value && typeof value === "object") return Object.values(value).flatMap(exportTargets);
  return [];
}

describe("published tarballs", () => {
  for (const dir of PACKAGES) {
    cell("tarball", `${PACKAGE_NAMES[dir]}: files, metadata, no workspace: ranges`, async () => {
      const files = await tarballFiles(tarballs[dir]);
      const manifest = await tarballManifest(tarballs[dir]);
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
      return `${files.length} files, ${Object.keys(exportsMap).length} exports`;
    });
  }

  cell("tarball", "npm pack inside a package is refused (would ship workspace:*)", async () => {
    const checked: string[] = [];
    for (const dir of ["server-middleware", "client"] as const) {
      const packed = await run("npm", ["pack", "--dry-run"], { cwd: join(WORKSPACE, "packages", dir), timeoutMs: 60_000 });
      expect(packed.code).not.toBe(0);
      expect(packed.stderr).toContain("pack and publish this package with pnpm");
      checked.push(dir);
    }
    return `refused in ${checked.join(", ")}`;
  });
});

describe("publint and attw on every tarball", () => {
  for (const dir of PACKAGES) {
    cell("lint", `publint ${PACKAGE_NAMES[dir]}`, async () => {
      const { publint } = await import("publint");
      const { formatMessage } = await import("publint/utils");
      const bytes = await readFile(tarballs[dir]);
      const tarball = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      const { messages, pkg } = await publint({ pack: { tarball }, level: "suggestion", strict: true });
      const lines = messages.map((message) => `${message.type}: ${formatMessage(message, pkg) ?? message.code}`);
      if (lines.length > 0) console.log(`publint ${PACKAGE_NAMES[dir]}:\n${lines.join("\n")}`);
      expect(messages.filter((message) => message.type !== "suggestion"), lines.join("\n")).toEqual([]);
      return lines.length === 0 ? "no messages" : `${lines.length} suggestion(s)`;
    });

    cell("lint", `attw ${PACKAGE_NAMES[dir]}`, async () => {
      const attw = join(workspaceRequire.resolve("@arethetypeswrong/cli/package.json"), "..", "dist", "index.js");
      // cjs-resolves-to-esm is ignored on purpose: the packages are ES modules only, and a
      // require() of them works through Node's require(esm) on every Node the engines field
      // allows (proven by the CommonJS cells below). attw 0.18 checks with TypeScript 5.6,
      // which predates require(esm); TypeScript >= 5.8 accepts it under nodenext (the .cts cell).
      const ran = await run(process.execPath, [attw, tarballs[dir], "--format", "table-flipped", "--ignore-rules", "cjs-resolves-to-esm", "--no-color"], {
        cwd: root,
        timeoutMs: 120_000,
      });
      console.log(`attw ${PACKAGE_NAMES[dir]}:\n${ran.stdout}${ran.stderr}`);
      expect(ran.code, ran.stdout + ran.stderr).toBe(0);
      expect(ran.stdout).toContain("No problems found");
      return "no problems (node10, node16 CJS/ESM, bundler)";
    });
  }
});

describe("Node", () => {
  cell("node", "CommonJS require() of every entry (Express 5 project)", async () => {
    const result = await runNode(express5, ["node/require-all.cjs"]);
    return `${(result.entries as string[]).length} entries, one module instance`;
  });

  cell("node", "CommonJS require() of every entry (Express 4 project)", async () => {
    const result = await runNode(express4, ["node/require-all.cjs"]);
    return `${(result.entries as string[]).length} entries`;
  });

  cell("node", "ESM import of every entry", async () => {
    const result = await runNode(express5, ["node/import-all.mjs"]);
    return `${(result.entries as string[]).length} entries`;
  });

  cell("node", "Node without require(esm) (as 20.0-20.18): readable ERR_REQUIRE_ESM", async () => {
    const ran = await run(process.execPath, ["--no-experimental-require-module", "node/require-all.cjs"], { cwd: express5.dir, timeoutMs: 60_000 });
    expect(ran.code).not.toBe(0);
    expect(ran.stderr).toContain("ERR_REQUIRE_ESM");
    expect(ran.stderr).not.toContain("ERR_PACKAGE_PATH_NOT_EXPORTED");
    return "ERR_REQUIRE_ESM (engines: ^20.19.0 || >=22.12.0)";
  });
});

// Side by side: each tsc run is a process of its own.
describe.concurrent("TypeScript", () => {
  const RESOLUTIONS = {
    nodenext: { module: "nodenext", moduleResolution: "nodenext" },
    bundler: { module: "esnext", moduleResolution: "bundler" },
    node10: { module: "commonjs", moduleResolution: "node10" },
  } as const;

  /**
   * Type-checks consumer files with the workspace's tsc. `libCheck` keeps TypeScript's default
   * skipLibCheck: false, under which a declaration importing a missing package (ioredis) fails;
   * it triples the time (all of @types/node is checked), so the cells that need it have it.
   */
  async function typeCheck(project: ConsumerProject, name: string, options: object, files: string[], libCheck: boolean) {
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

  const common = ["ts/server.ts", "ts/client.ts", "ts/iife-global.ts", "ts/exact-optional.ts"];
  for (const resolution of ["nodenext", "bundler", "node10"] as const) {
    const files = resolution === "nodenext" ? [...common, "ts/server-cjs.cts"] : common;
    cell("typescript", `${resolution}, with ioredis (ESM project, @types/express 5)`, async () => {
      const ran = await typeCheck(express5, `${resolution}-ioredis`, RESOLUTIONS[resolution], [...files, "ts/redis.ts"], false);
      expect(ran.code, ran.stdout + ran.stderr).toBe(0);
      return `${files.length + 1} files, exactOptionalPropertyTypes`;
    }, 240_000);
    const libCheck = resolution === "nodenext";
    cell("typescript", `${resolution}, without ioredis (CommonJS project, @types/express 4)`, async () => {
      expect(existsSync(join(express4.dir, "node_modules", "ioredis"))).toBe(false);
      const ran = await typeCheck(express4, resolution, RESOLUTIONS[resolution], files, libCheck);
      expect(ran.code, ran.stdout + ran.stderr).toBe(0);
      return `${files.length} files, exactOptionalPropertyTypes${libCheck ? ", default skipLibCheck (false)" : ""}`;
    }, 240_000);
  }

  cell("typescript", "a misspelt event name: the error lists the event names", async () => {
    const ran = await typeCheck(express5, "typo", RESOLUTIONS.nodenext, ["ts/typo.ts"], false);
    const errors = ran.stdout.split("\n").filter((line) => line.includes("error TS"));
    expect(errors, ran.stdout).toHaveLength(1);
    expect(errors[0]).toContain(`'"order.piad"'`);
    expect(errors[0]).toContain(`"order.paid"`);
    expect(errors[0]).not.toContain("never");
    return (errors[0] ?? "").replace(/^.*error (TS\d+).*$/, "$1 naming the events");
  }, 240_000);
});

describe("Express apps", () => {
  cell("express", "Express 5 app (ESM): POST /orders, sandbox notify, status paid", async () => {
    const result = await runNode(express5, ["node/shop-express5.mjs"]);
    expect(result).toMatchObject({ created: 201, status: "paid", onPaid: 1 });
    expect(String(result.express)).toMatch(/^5\./);
    return `express ${String(result.express)}, onPaid once`;
  });

  cell("express", "Express 4 app (CommonJS): POST /orders, sandbox notify, status paid", async () => {
    const result = await runNode(express4, ["node/shop-express4.cjs"]);
    expect(result).toMatchObject({ created: 201, status: "paid", onPaid: 1 });
    expect(String(result.express)).toMatch(/^4\./);
    return `express ${String(result.express)}, onPaid once`;
  });
});

describe("browser", () => {
  cell("browser", `Vite ${VERSIONS.vite} SPA build importing @paybridge/client`, async () => {
    const vite = join(spa.dir, "node_modules", "vite", "bin", "vite.js");
    await runOk(process.execPath, [vite, "build", "--config", "vite.config.mjs"], { cwd: spa.dir, timeoutMs: 180_000 });
    const assets = await readdir(join(spa.dir, "dist", "assets"));
    expect(assets.filter((file) => file.endsWith(".js"))).toHaveLength(1);
    const version = JSON.parse(await readFile(join(spa.dir, "node_modules", "vite", "package.json"), "utf8")) as { version: string };
    return `vite ${version.version}, ${assets.join(", ")}`;
  }, 200_000);

  cell("browser", "headless Chromium: the SPA build and the script-tag builds", async () => {
    if (!chromiumAvailable()) throw new SkipCell("no /usr/bin/chromium");
    const spaRequire = createRequire(join(spa.dir, "package.json"));
    const assets = await readdir(join(spa.dir, "dist", "assets"));
    const files = new Map<string, string>([
      ["/spa/index.html", join(spa.dir, "dist", "index.html")],
      ...assets.map((file): [string, string] => [`/spa/assets/${file}`, join(spa.dir, "dist", "assets", file)]),
      ["/iife/index.html", join(spa.dir, "iife.html")],
      ["/iife/paybridge.iife.js", spaRequire.resolve("@paybridge/client/iife")],
      ["/iife/paybridge-sandbox.iife.js", spaRequire.resolve("@paybridge/client/sandbox/iife")],
    ]);
    const server = await serveFiles(files);
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      const pageErrors: string[] = [];
      page.on("pageerror", (error) => pageErrors.push(error.message));
      await page.goto(`${server.url}/spa/index.html`);
      await page
        .waitForFunction(() => document.querySelector("#app")?.textContent === "ready", undefined, { timeout: 15_000 })
        .catch((error: unknown) => {
          throw new Error(`the SPA did not start: ${String(error)}; page errors: ${pageErrors.join("; ")}`);
        });
      expect(await page.evaluate(() => (window as unknown as { spaConsumer: unknown }).spaConsumer)).toEqual({
        createPayClient: "function",
        pay: "function",
        payError: true,
      });
      await page.goto(`${server.url}/iife/index.html`);
      expect(await page.evaluate(() => (window as unknown as { iifeConsumer: unknown }).iifeConsumer)).toEqual({
        createPayClient: "function",
        pay: "function",
        installSandboxBridges: "function",
      });
      expect(pageErrors).toEqual([]);
      return "window.PayBridge.createPayClient, window.PayBridgeSandbox, SPA bundle";
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
