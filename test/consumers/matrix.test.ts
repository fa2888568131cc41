/**
 * The packages installed as users install them. The tarballs `pnpm pack` makes are installed
 * with npm into fresh projects under the OS temp folder (outside the workspace), and each cell
 * uses them the way one kind of merchant would: require() from CommonJS, import from ES
 * modules, TypeScript under nodenext / bundler / node10 with exactOptionalPropertyTypes (with and
 * without ioredis), an Express 4 and an Express 5 app taking an order and a sandbox notify on
 * 127.0.0.1, @paybridge/sandbox alone in a project without Express (a web-handler shop paid
 * through it; its types with its own dependencies only), the web handler's entry alone without
 * Express or its types (skipLibCheck false), a Vite SPA build, and the script-tag
 * build in headless Chromium, and the `paybridge` command from @paybridge/cli's bin.
 * publint and @arethetypeswrong/cli check every tarball. The file
 * ends by printing the pass/fail table.
 *
 * PAYBRIDGE_CONSUMER_TARBALLS=<folder with the five .tgz> runs the matrix on other tarballs
 * (e.g. those of an older commit) instead of packing the workspace.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { chromiumAvailable, launchChromium } from "../support/browser.js";
import { run, runOk } from "./support/commands.js";
import { SkipCell, cell, matrixTable } from "./support/matrix.js";
import { createConsumerProjects, VERSIONS } from "./support/consumer-projects.js";
import { runNode, type ConsumerProject } from "./support/projects.js";
import { serveFiles } from "./support/static-server.js";
import { checkPublishedTarball } from "./support/tarball-checks.js";
import { PACKAGES, PACKAGE_NAMES, WORKSPACE, givenTarballs, packTarballs, type Tarballs } from "./support/tarballs.js";
import { RESOLUTIONS, typeCheck } from "./support/typecheck.js";

const workspaceRequire = createRequire(import.meta.url);

let root: string;
let tarballs: Tarballs;
// What each project is: support/consumer-projects.ts.
let express5: ConsumerProject;
let express4: ConsumerProject;
let spa: ConsumerProject;
let sandboxOnly: ConsumerProject;
let webOnly: ConsumerProject;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "paybridge-consumers-"));
  const given = process.env.PAYBRIDGE_CONSUMER_TARBALLS;
  tarballs = given ? await givenTarballs(given) : await packTarballs(root);
  ({ express5, express4, spa, sandboxOnly, webOnly } = await createConsumerProjects(root, tarballs));
}, 600_000);

afterAll(async () => {
  console.log(`\n${matrixTable()}\n`);
  if (root && !process.env.PAYBRIDGE_KEEP_CONSUMERS) await rm(root, { recursive: true, force: true });
});

describe("published tarballs", () => {
  for (const dir of PACKAGES) {
    cell("tarball", `${PACKAGE_NAMES[dir]}: files, metadata, no workspace: ranges`, () => checkPublishedTarball(dir, tarballs[dir]));
  }

  cell("tarball", "npm pack inside a package is refused (would ship workspace:*)", async () => {
    const checked: string[] = [];
    for (const dir of ["server-middleware", "client", "sandbox", "cli"] as const) {
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

  cell("typescript", "@paybridge/sandbox without @types in the project: nodenext, default skipLibCheck (false)", async () => {
    expect(existsSync(join(sandboxOnly.dir, "node_modules", "@types", "express"))).toBe(true);
    const ran = await typeCheck(sandboxOnly, "sandbox", RESOLUTIONS.nodenext, ["sandbox/types.ts"], true);
    expect(ran.code, ran.stdout + ran.stderr).toBe(0);
    return "Express's types from its own dependencies";
  }, 240_000);

  cell("typescript", "./web without Express or @types/express: nodenext, default skipLibCheck (false)", async () => {
    for (const absent of ["express", "@types/express"]) expect(existsSync(join(webOnly.dir, "node_modules", absent)), absent).toBe(false);
    const ran = await typeCheck(webOnly, "web", RESOLUTIONS.nodenext, ["web/handler.ts"], true);
    expect(ran.code, ran.stdout + ran.stderr).toBe(0);
    return "adapters, store, errors and the handler from ./web alone";
  }, 240_000);

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
    expect(result.sandboxExpress).toBe(result.express);
    return `express ${String(result.express)} (the sandbox's too), onPaid once`;
  });

  cell("express", "Express 4 app (CommonJS): POST /orders, sandbox notify, status paid", async () => {
    const result = await runNode(express4, ["node/shop-express4.cjs"]);
    expect(result).toMatchObject({ created: 201, status: "paid", onPaid: 1 });
    expect(String(result.express)).toMatch(/^4\./);
    expect(result.sandboxExpress).toBe(result.express);
    return `express ${String(result.express)} (the sandbox's too), onPaid once`;
  });
});

describe("the sandbox package", () => {
  cell("sandbox", "@paybridge/sandbox without Express in the project: import = require(), a web-handler shop paid through it", async () => {
    const result = await runNode(sandboxOnly, ["sandbox/standalone.mjs"]);
    expect(result).toMatchObject({ created: 201, notified: true, status: "paid", onPaid: 1 });
    expect(String(result.express)).toMatch(/^5\./);
    return `express ${String(result.express)} from its dependencies, ${(result.entries as string[]).length} entries, onPaid once`;
  });
});

describe("the paybridge command", () => {
  cell("cli", "@paybridge/cli's bin as npm installs it: --help, then reconcile a bill file (exit 1, the unknown order named)", async () => {
    const bin = join(express5.dir, "node_modules", ".bin", "paybridge");
    const cwd = join(express5.dir, "cli");
    const help = await runOk(bin, ["--help"], { cwd, timeoutMs: 60_000 });
    expect(help.stdout).toContain("Usage: paybridge <command> [options]");
    const ran = await run(bin, ["reconcile", "--date", "2026-12-03", "--gateway", "xiangma", "--bill", "bill.csv", "--report", "day.html", "--json"], { cwd, timeoutMs: 60_000 });
    expect(ran.code, ran.stderr).toBe(1);
    const result = JSON.parse(ran.stdout) as { counts: Record<string, number>; mismatches: { kind: string; orderNo: string }[]; bill: { paymentFen: number } };
    expect(result.counts.unknown_order).toBe(1);
    expect(result.mismatches).toEqual([expect.objectContaining({ kind: "unknown_order", orderNo: "CONSUMER-1" })]);
    expect(result.bill.paymentFen).toBe(1999);
    expect(await readFile(join(cwd, "day.html"), "utf8")).toContain("CONSUMER-1");
    return "bin linked by npm, exit 1 with the mismatch, an HTML report written";
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
