/**
 * `prepack` of every published package: build it (and the workspace packages it depends on) so a
 * tarball never ships a stale or missing dist/, and refuse to be packed by anything but pnpm.
 *
 * Why refuse npm: the packages depend on each other as `workspace:*`. `pnpm pack` / `pnpm publish`
 * write the real version into the tarball's package.json; `npm pack` / `npm publish` copy
 * `workspace:*` as it is, and npm cannot install such a tarball (EUNSUPPORTEDPROTOCOL). A plain
 * semver range instead of `workspace:*` would let pnpm fetch `@paybridge/*` from the registry
 * whenever the local version stops matching, so the guard is the safer fix.
 *
 * PAYBRIDGE_PREPACK_SKIP_BUILD=1 skips the build when the caller has just built everything
 * (the consumer-matrix test packs right after `pnpm build`).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const manifest = JSON.parse(readFileSync("package.json", "utf8"));
const agent = process.env.npm_config_user_agent ?? "";
const viaPnpm = agent.startsWith("pnpm/");
const workspaceDeps = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"].flatMap((field) =>
  Object.entries(manifest[field] ?? {}).filter(([, spec]) => String(spec).startsWith("workspace:")).map(([dep]) => dep),
);

if (!viaPnpm && workspaceDeps.length > 0) {
  console.error(
    `\n${manifest.name}: pack and publish this package with pnpm (\`pnpm pack\`, \`pnpm publish\`), not ${agent.split(" ")[0] || "this tool"}.\n` +
      `It depends on ${workspaceDeps.join(", ")} as \`workspace:*\`; pnpm writes the real version into the tarball,\n` +
      "npm would ship `workspace:*`, which npm cannot install (EUNSUPPORTEDPROTOCOL).\n",
  );
  process.exit(1);
}

if (process.env.PAYBRIDGE_PREPACK_SKIP_BUILD !== "1") {
  const execPath = process.env.npm_execpath;
  const [command, prefix] = execPath && /\.[cm]?js$/.test(execPath) ? [process.execPath, [execPath]] : [execPath || "npm", []];
  // With pnpm, "<name>..." builds this package and every workspace package it depends on, in order.
  const args = viaPnpm ? ["--filter", `${manifest.name}...`, "run", "build"] : ["run", "build"];
  const build = spawnSync(command, [...prefix, ...args], { stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
