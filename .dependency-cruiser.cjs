/**
 * The layers of paybridge's packages, checked by the test command (`pnpm test` runs
 * `pnpm check`). docs/design.md draws them; a rule broken here fails the build.
 *
 * server-middleware, bottom to top (each may import only what is below it):
 *   errors, redact, typed-events  leaves
 *   gateways/contract          the adapter contract (types only)
 *   gateways/kit/              helpers adapters share
 *   gateways/<id>/             one folder per gateway (adapter.ts + what it grew), never another gateway's
 *   store/                     the store contract and its implementations
 *   bills/                     the bill row (contract) and the bill file readers
 *   types                      the public types
 *   config/                    options, defaults, logger
 *   engine/                    one context, the services, the transition loop, the outbound client
 *   http/                      inbound routes over any host
 *   index, express, web        entry points: they only wire (exports.ts: what index and web share)
 */
const SM = "^packages/server-middleware/src/";
const LEAVES = `${SM}(errors|redact|typed-events)\\.ts$`;
const CONTRACTS = `${SM}(gateways/contract|store/contract|bills/contract)\\.ts$`;

/** A rule: files matching `from` may import nothing of server-middleware's but `allowed`. */
const layer = (name, from, allowed, comment) => ({
  name,
  comment,
  severity: "error",
  from: { path: from },
  to: { path: SM, pathNot: [from, LEAVES, ...allowed] },
});

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "A cycle means two files are one concern, or a layer imports upward.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    layer("leaves-stand-alone", LEAVES, [], "errors, redact and typed-events are leaves: everything may import them, they import nothing of ours."),
    layer("gateway-contract-stands-alone", `${SM}gateways/contract\\.ts$`, [`${SM}bills/contract\\.ts$`], "The adapter contract is types over @paybridge/shared and the bill row it fetches."),
    layer("bill-contract-stands-alone", `${SM}bills/contract\\.ts$`, [], "The bill row is types only."),
    layer("bills-below-engine", `${SM}bills/`, [`${SM}bills/contract\\.ts$`], "Bill readers know the bill row and nothing else of ours: no engine, no store, no gateway."),
    layer("gateway-kit-below-adapters", `${SM}gateways/kit/`, [`${SM}(gateways|bills)/contract\\.ts$`], "The kit is gateway-agnostic: it knows the contract, never an adapter."),
    {
      name: "one-gateway-per-folder",
      comment:
        "Everything about a gateway lives in its folder (gateways/<id>/: adapter.ts and what it grew, e.g. its bill or profiles): it imports its own folder, the kit and the contracts, never another gateway.",
      severity: "error",
      from: { path: `${SM}gateways/(?!kit/)([^/]+)/` },
      to: { path: SM, pathNot: [`${SM}gateways/$1/`, `${SM}gateways/kit/`, `${SM}(gateways|bills)/contract\\.ts$`, LEAVES] },
    },
    // A gateway's second call level is a second adapter factory in its folder (fubei's
    // service-provider mode: gateways/fubei/provider.ts), listed like the first.
    layer("gateway-index-only-lists", `${SM}gateways/index\\.ts$`, [`${SM}gateways/(?!kit/)[^/]+/(adapter|provider)\\.ts$`], "gateways/index.ts re-exports each adapter factory (adapter.ts, provider.ts), nothing else."),
    layer("store-below-engine", `${SM}store/`, [], "Stores know records, never the engine, the options or a gateway."),
    layer(
      "public-types-over-contracts",
      `${SM}(types|operation-types)\\.ts$`,
      [CONTRACTS],
      "The public types (types.ts, and operation-types.ts it re-exports) name the two contracts and the errors, nothing that runs.",
    ),
    layer(
      "config-below-engine",
      `${SM}config/`,
      [`${SM}types\\.ts$`, `${SM}store/`, `${SM}gateways/(contract\\.ts$|kit/)`],
      "Options and defaults: the default store and the gateway-id rule, no service.",
    ),
    layer(
      "engine-knows-no-gateway",
      `${SM}engine/`,
      [`${SM}types\\.ts$`, `${SM}config/`, `${SM}bills/`, CONTRACTS],
      "The engine calls gateways through the contract and stores through theirs: it names no gateway, no store, no host (a bill file the gateway answers is read by bills/).",
    ),
    layer(
      "http-over-engine",
      `${SM}http/`,
      [`${SM}types\\.ts$`, `${SM}config/`, `${SM}engine/`, CONTRACTS],
      "The inbound routes hand requests to the engine; no host framework here.",
    ),
    {
      name: "entry-points-only-wire",
      comment: "index, express and web sit on top: nothing below imports them (index re-exports express).",
      severity: "error",
      from: { path: SM, pathNot: `${SM}index\\.ts$` },
      to: { path: `${SM}(index|express|web)\\.ts$` },
    },
    {
      name: "shared-exports-for-entries-only",
      comment: "exports.ts is the Express-free public API that index and web both re-export; nothing else imports it.",
      severity: "error",
      from: { path: SM, pathNot: `${SM}(index|web)\\.ts$` },
      to: { path: `${SM}exports\\.ts$` },
    },
    {
      name: "express-only-in-its-entry",
      comment: "./web must work without Express or @types/express: only src/express.ts may import them (types too).",
      severity: "error",
      from: { path: SM, pathNot: `${SM}express\\.ts$` },
      to: { path: "(^|/)node_modules/(@types/)?express[^/]*/" },
    },
    {
      name: "sandbox-on-public-exports",
      comment: "The sandbox is built only on server-middleware's published exports, like any consumer.",
      severity: "error",
      from: { path: "^packages/sandbox/" },
      // The package's own entries (tsconfig paths map them to src for the tests).
      to: { path: SM, pathNot: `${SM}(index|web)\\.ts$` },
    },
    {
      name: "cli-on-public-exports",
      comment: "The paybridge command is a consumer: it imports server-middleware only through its Express-free entry, @paybridge/server-middleware/web.",
      severity: "error",
      from: { path: "^packages/cli/src/" },
      // tsconfig paths map the entry to src/web.ts.
      to: { path: SM, pathNot: `${SM}web\\.ts$` },
    },
    {
      name: "production-never-imports-sandbox",
      comment: "The sandbox (test keys, fixed credentials) never ships inside the package merchants deploy.",
      severity: "error",
      from: { path: "^packages/(server-middleware|client|shared|cli)/src/" },
      to: { path: "^packages/sandbox/" },
    },
    {
      name: "client-knows-no-server",
      comment: "The browser client speaks HTTP to the server; it shares only @paybridge/shared with it.",
      severity: "error",
      from: { path: "^packages/client/src/" },
      to: { path: "^packages/(server-middleware|sandbox)/" },
    },
    {
      name: "shared-is-a-leaf",
      comment: "@paybridge/shared holds the HTTP contract and money helpers every package uses.",
      severity: "error",
      from: { path: "^packages/shared/src/" },
      to: { path: "^packages/(?!shared/)" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(dist|test|node_modules)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.tests.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["types", "import", "require", "default"],
      extensions: [".ts", ".js", ".mjs", ".d.ts"],
    },
  },
};
