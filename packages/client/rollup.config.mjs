import { rmSync } from "node:fs";
import { dirname, relative } from "node:path";
import nodeResolve from "@rollup/plugin-node-resolve";
import terser from "@rollup/plugin-terser";
import typescript from "@rollup/plugin-typescript";
import ts from "typescript";

// Each build starts from an empty dist (no stale chunks ship, or get parsed by the ES2018 test).
rmSync(new URL("./dist", import.meta.url), { recursive: true, force: true });

const entries = { index: "src/index.ts", sandbox: "src/sandbox/index.ts", mini: "src/mini.ts" };

// Declarations of @paybridge/shared are emitted next to ours (dist/types/shared/src); point the
// imports at them so the published types need no @paybridge/shared, and add one entry file per export.
const bundledSharedTypes = {
  name: "bundled-shared-types",
  generateBundle(_options, bundle) {
    for (const file of Object.values(bundle)) {
      if (file.type !== "asset" || !file.fileName.endsWith(".d.ts")) continue;
      const shared = relative(dirname(file.fileName), "types/shared/src/index.js");
      file.source = String(file.source).replaceAll('"@paybridge/shared"', JSON.stringify(shared));
    }
    for (const [name, input] of Object.entries(entries)) {
      const types = `./types/client/${input.replace(/\.ts$/, ".js")}`;
      this.emitFile({ type: "asset", fileName: `${name}.d.ts`, source: `export * from ${JSON.stringify(types)};\n` });
    }
  },
};

// Wallet WebViews run old engines (Alipay's Android UC kernel is Chrome 69; iOS 12 WKWebView):
// every file ships as ES2018. Our sources are compiled to it by their tsconfig; the packages the
// IIFE bundles (ky is ES2022) are lowered here by TypeScript, with its helpers taken from tslib.
const lowerDependencies = {
  name: "lower-dependencies-to-es2018",
  transform(code, id) {
    if (!/[\\/]node_modules[\\/].*\.m?js$/.test(id)) return null;
    const { outputText } = ts.transpileModule(code, {
      fileName: id,
      compilerOptions: { target: ts.ScriptTarget.ES2018, module: ts.ModuleKind.ESNext, allowJs: true, importHelpers: true },
    });
    // Object.hasOwn is Chrome 93 / iOS 15.4 (ky's merge.js calls it).
    return { code: outputText.replaceAll("Object.hasOwn(", "Object.prototype.hasOwnProperty.call("), map: null };
  },
};

// ky's upload/download progress streams (utils/body.js) run only for onUploadProgress /
// onDownloadProgress, which the ky transport never passes: the IIFE leaves them out (size budget).
const withoutKyProgressStreams = {
  name: "without-ky-progress-streams",
  load: (id) =>
    /[\\/]ky[\\/]distribution[\\/]utils[\\/]body\.js$/.test(id)
      ? "const no = () => { throw new Error('ky progress callbacks are not in the paybridge IIFE'); };\nexport const streamRequest = no, streamResponse = no;\n"
      : null,
};

// No globalThis before Chrome 71 / iOS 12.2: inside the IIFE it is a local name for the window.
// `global` last: a script build required in Node (SSR, tests) must load, not throw on `self`.
const globalThisIntro =
  'var globalThis = typeof window != "undefined" ? window : typeof self != "undefined" ? self : typeof global != "undefined" ? global : {};';

// Rollup does the module format; TypeScript only strips types (resolving @paybridge/shared by `paths`).
const compilerOptions = { tsconfig: "tsconfig.json", module: "esnext", moduleResolution: "bundler" };

const esm = {
  input: entries,
  external: ["ky"],
  plugins: [
    typescript({ ...compilerOptions, rootDir: "..", outDir: "dist", declaration: true, declarationDir: "dist/types" }),
    bundledSharedTypes,
  ],
  output: { dir: "dist", format: "es", entryFileNames: "[name].js", chunkFileNames: "chunks/client-[hash].js" },
};

// The IIFE has a size budget (7,500 bytes gzip -9, measured by the benchmark). Besides names, the
// internals of ky and of the client are shortened (the underscore-prefixed ones, ky's
// `abortController`); nothing outside reads them.
const minify = {
  ecma: 2018,
  compress: { passes: 3, unsafe: true, unsafe_arrows: true, pure_getters: true },
  mangle: { properties: { regex: /^(_(options|input|fetch|retry|retryCount|calculateRetryDelay|decorateResponse|listeners|api|confirmMs|launchMs|settings|known|run|once|pay|launch|resume|confirm|settle)|abortController)$/ } },
  format: { comments: false },
};

const iife = (input, file, name) => ({
  input,
  plugins: [
    typescript({ ...compilerOptions, rootDir: "..", declaration: false, outDir: "dist" }),
    withoutKyProgressStreams,
    lowerDependencies,
    nodeResolve({ browser: true }),
  ],
  output: { file, format: "iife", name, intro: globalThisIntro, plugins: [terser(minify)] },
});

// The mini-program build ("miniprogram": "dist/miniprogram"; WeChat DevTools "Build npm" copies
// that folder): one CommonJS file, ES2017, no ky, types from the module build's declarations.
const miniprogram = {
  input: entries.mini,
  plugins: [
    typescript({ ...compilerOptions, target: "ES2017", rootDir: "..", declaration: false, outDir: "dist/miniprogram" }),
    {
      name: "miniprogram-types",
      generateBundle() {
        this.emitFile({ type: "asset", fileName: "index.d.ts", source: 'export * from "../mini.js";\n' });
      },
    },
  ],
  output: { file: "dist/miniprogram/index.js", format: "cjs", exports: "named" },
};

export default [
  miniprogram,
  esm,
  iife("src/iife.ts", "dist/paybridge.iife.js", "PayBridge"),
  iife(entries.sandbox, "dist/paybridge-sandbox.iife.js", "PayBridgeSandbox"),
];
