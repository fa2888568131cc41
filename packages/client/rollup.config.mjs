import { dirname, relative } from "node:path";
import nodeResolve from "@rollup/plugin-node-resolve";
import terser from "@rollup/plugin-terser";
import typescript from "@rollup/plugin-typescript";

const entries = { index: "src/index.ts", sandbox: "src/sandbox/index.ts" };

// eventemitter3's "import" entry re-exports its CommonJS file; wrapping that one file bundles it
// without a CommonJS plugin (and smaller than its own ESM build).
const eventemitter3FromCommonJs = {
  name: "eventemitter3-from-commonjs",
  transform: (code, id) =>
    /[\\/]eventemitter3[\\/]index\.js$/.test(id) ? `var module = { exports: {} };\n${code}\nexport default module.exports;` : null,
};

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

// Rollup does the module format; TypeScript only strips types (resolving @paybridge/shared by `paths`).
const compilerOptions = { tsconfig: "tsconfig.json", module: "esnext", moduleResolution: "bundler" };

const esm = {
  input: entries,
  external: ["ky", "eventemitter3"],
  plugins: [
    typescript({ ...compilerOptions, rootDir: "..", outDir: "dist", declaration: true, declarationDir: "dist/types" }),
    bundledSharedTypes,
  ],
  output: { dir: "dist", format: "es", entryFileNames: "[name].js", chunkFileNames: "chunks/[name]-[hash].js" },
};

// The IIFE has a size budget (7,500 bytes gzip -9, measured by the benchmark). Besides names, the
// internals of ky and eventemitter3 are shortened (the underscore-prefixed ones, a listener's
// `context`, ky's `abortController`); nothing outside reads them.
const minify = {
  ecma: 2020,
  compress: { passes: 3, unsafe: true, unsafe_arrows: true, pure_getters: true },
  mangle: { properties: { regex: /^(_(events|eventsCount|options|input|fetch|retry|retryCount|calculateRetryDelay|decorateResponse)|context|abortController)$/ } },
  format: { comments: false },
};

const iife = (input, file, name) => ({
  input,
  plugins: [
    typescript({ ...compilerOptions, rootDir: "..", declaration: false, outDir: "dist" }),
    eventemitter3FromCommonJs,
    nodeResolve({ browser: true }),
  ],
  output: { file, format: "iife", name, plugins: [terser(minify)] },
});

export default [
  esm,
  iife(entries.index, "dist/paybridge.iife.js", "PayBridge"),
  iife(entries.sandbox, "dist/paybridge-sandbox.iife.js", "PayBridgeSandbox"),
];
