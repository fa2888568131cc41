import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, relative } from "node:path";
import nodeResolve from "@rollup/plugin-node-resolve";
import terser from "@rollup/plugin-terser";
import typescript from "@rollup/plugin-typescript";
import { parse } from "acorn";
import ts from "typescript";

// Each build starts from an empty dist (no stale chunks ship, or get parsed by the ES2018 test).
rmSync(new URL("./dist", import.meta.url), { recursive: true, force: true });

const entries = { index: "src/index.ts", sandbox: "src/sandbox/index.ts", mini: "src/mini-program-entry.ts" };

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

// TypeScript lowers `a ?? b` and `a?.b` (ES2020) to `(t = a) !== null && t !== void 0 ? t : b` and
// `(t = a) === null || t === void 0 ? void 0 : t.b`. In the IIFE these are written `(t = a) != null`
// and `(t = a) == null`: the same test (only `document.all` is == null without being null or
// undefined, and nothing here reads it), shorter.
const looseNullChecks = (context) => {
  const { factory } = context;
  const sameName = (a, b) => a === b || (ts.isIdentifier(a) && ts.isIdentifier(b) && a.escapedText !== "" && a.escapedText === b.escapedText);
  const visit = (node) => {
    node = ts.visitEachChild(node, visit, context);
    if (!ts.isBinaryExpression(node)) return node;
    const kind = node.operatorToken.kind;
    const and = kind === ts.SyntaxKind.AmpersandAmpersandToken;
    if (!and && kind !== ts.SyntaxKind.BarBarToken) return node;
    const strict = and ? ts.SyntaxKind.ExclamationEqualsEqualsToken : ts.SyntaxKind.EqualsEqualsEqualsToken;
    const { left, right } = node;
    const isCheck = (check, against) => ts.isBinaryExpression(check) && check.operatorToken.kind === strict && against(check.right);
    if (!isCheck(left, (value) => value.kind === ts.SyntaxKind.NullKeyword) || !isCheck(right, ts.isVoidExpression)) return node;
    const tested = ts.isParenthesizedExpression(left.left) ? left.left.expression : left.left;
    const name = ts.isBinaryExpression(tested) && tested.operatorToken.kind === ts.SyntaxKind.EqualsToken ? tested.left : tested;
    if (!sameName(name, right.left)) return node;
    return factory.createBinaryExpression(left.left, and ? ts.SyntaxKind.ExclamationEqualsToken : ts.SyntaxKind.EqualsEqualsToken, factory.createNull());
  };
  return (file) => ts.visitNode(file, visit);
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
      transformers: { after: [looseNullChecks] },
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

// eventemitter3 is CommonJS (its "import" entry only re-exports that file). The builds that bundle
// it (the IIFE, the mini-program build) take that one file, wrapped as a module: no CommonJS
// plugin needed, and smaller than its own ESM build. The isolated emitter keeps its instance to
// itself and calls only on / once / off / emit: the members nothing can reach are left out.
const eventemitter3 = createRequire(import.meta.url).resolve("eventemitter3");
const unreachableEventEmitterMembers = ["eventNames", "listeners", "listenerCount", "removeAllListeners", "addListener", "prefixed", "EventEmitter"];
function withoutUnreachableMembers(code) {
  const cuts = parse(code, { ecmaVersion: 2018, sourceType: "script" }).body.flatMap((statement) => {
    const target = statement.type === "ExpressionStatement" && statement.expression.type === "AssignmentExpression" && statement.expression.left;
    const name = target && target.type === "MemberExpression" && target.property.name;
    return unreachableEventEmitterMembers.includes(name) ? [{ name, start: statement.start, end: statement.end }] : [];
  });
  const missing = unreachableEventEmitterMembers.filter((name) => !cuts.some((cut) => cut.name === name));
  if (missing.length) throw new Error(`eventemitter3 changed: no ${missing.join(", ")} to leave out`);
  return cuts.reduceRight((rest, { start, end }) => rest.slice(0, start) + rest.slice(end), code);
}
const eventemitter3FromCommonJs = {
  name: "eventemitter3-from-commonjs",
  resolveId: (id) => (id === "eventemitter3" ? eventemitter3 : null),
  transform: (code, id) =>
    id === eventemitter3
      ? `var module = { exports: {} };\n${withoutUnreachableMembers(code)}\nvar exported = module.exports;\nexport { exported as EventEmitter };\n`
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
  external: ["ky", "eventemitter3"],
  plugins: [
    typescript({ ...compilerOptions, rootDir: "..", outDir: "dist", declaration: true, declarationDir: "dist/types" }),
    bundledSharedTypes,
  ],
  output: { dir: "dist", format: "es", entryFileNames: "[name].js", chunkFileNames: "chunks/client-[hash].js" },
};

// The IIFE has a size budget (8,000 bytes gzip -9, measured by the benchmark and old-engines.test.ts).
// Besides names, the internals of ky, eventemitter3 and the client are shortened (the
// underscore-prefixed ones, a listener's `fn` and `context`, ky's `abortController`); nothing
// outside reads them.
const minify = {
  ecma: 2018,
  compress: { passes: 3, unsafe: true, unsafe_arrows: true, pure_getters: true },
  mangle: { properties: { regex: /^(_(events|eventsCount|options|input|fetch|retry|retryCount|calculateRetryDelay|decorateResponse|emitter|api|confirmMs|launchMs|settings|launcher|known|run|once|pay|launch|resume|confirm|settle)|context|fn|abortController)$/ } },
  format: { comments: false },
};

const iife = (input, file, name) => ({
  input,
  plugins: [
    typescript({ ...compilerOptions, rootDir: "..", declaration: false, outDir: "dist", transformers: { after: [looseNullChecks] } }),
    withoutKyProgressStreams,
    eventemitter3FromCommonJs,
    lowerDependencies,
    nodeResolve({ browser: true }),
  ],
  output: { file, format: "iife", name, intro: globalThisIntro, plugins: [terser(minify)] },
});

// The mini-program build ("miniprogram": "dist/miniprogram"; WeChat DevTools "Build npm" copies
// that folder): one CommonJS file (eventemitter3 inside), ES2017, no ky, types from the module build's declarations.
const miniprogram = {
  input: entries.mini,
  plugins: [
    typescript({ ...compilerOptions, target: "ES2017", rootDir: "..", declaration: false, outDir: "dist/miniprogram" }),
    eventemitter3FromCommonJs,
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
  iife("src/iife-entry.ts", "dist/paybridge.iife.js", "PayBridge"),
  iife(entries.sandbox, "dist/paybridge-sandbox.iife.js", "PayBridgeSandbox"),
];
