/** The consumer projects of the matrix, each installed from the tarballs as a merchant's would be. */
import { PACKAGES, PACKAGE_NAMES, type Tarballs } from "./tarballs.js";
import { createProject, type ConsumerProject } from "./projects.js";

/** Registry packages of the consumer projects: the versions a merchant would install today. */
export const VERSIONS = {
  express4: "^4.21.2",
  express5: "^5.1.0",
  typesExpress4: "^4.17.23",
  typesExpress5: "^5.0.3",
  typesNode: "^20.19.0",
  ioredis: "^5.9.2",
  // Vite 6 runs on Node 18, 20 and 22+ (Vite 7 needs 20.19+): the widest merchant range.
  vite: "^6.3.5",
} as const;

export interface ConsumerProjects {
  /** Express 5 + ioredis, ES module project; also the operator's `paybridge` command (fixtures/cli). */
  express5: ConsumerProject;
  /** Express 4 without ioredis, CommonJS project. */
  express4: ConsumerProject;
  /** A Vite single-page app with only the client. */
  spa: ConsumerProject;
  /** The paybridge packages and nothing else: no express, no @types (the sandbox brings its own). */
  sandboxOnly: ConsumerProject;
  /** The server package for the web handler alone: no Express, no @types/express. */
  webOnly: ConsumerProject;
}

/** The installs share npm's cache; they run side by side. */
export async function createConsumerProjects(root: string, tarballs: Tarballs): Promise<ConsumerProjects> {
  const paybridgeDeps = Object.fromEntries(PACKAGES.map((dir) => [PACKAGE_NAMES[dir], `file:${tarballs[dir]}`]));
  const [express5, express4, spa, sandboxOnly, webOnly] = await Promise.all([
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
      fixtures: { node: "node", ts: "ts", cli: "cli" },
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
    createProject(root, {
      name: "sandbox-only",
      type: "module",
      dependencies: Object.fromEntries(
        (["shared", "server-middleware", "sandbox"] as const).map((dir) => [PACKAGE_NAMES[dir], `file:${tarballs[dir]}`]),
      ),
      fixtures: { sandbox: "sandbox" },
    }),
    createProject(root, {
      name: "web-only",
      type: "module",
      dependencies: {
        "@paybridge/shared": `file:${tarballs.shared}`,
        "@paybridge/server-middleware": `file:${tarballs["server-middleware"]}`,
        "@types/node": VERSIONS.typesNode,
      },
      fixtures: { web: "web" },
    }),
  ]);
  return { express5, express4, spa, sandboxOnly, webOnly };
}
