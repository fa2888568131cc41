import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Tests run against the TypeScript sources; only the browser end-to-end tests use the built
// client bundle (the README's test command builds first).
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@paybridge\/shared$/, replacement: src("./packages/shared/src/index.ts") },
      { find: /^@paybridge\/server-middleware\/web$/, replacement: src("./packages/server-middleware/src/web.ts") },
      { find: /^@paybridge\/server-middleware$/, replacement: src("./packages/server-middleware/src/index.ts") },
      { find: /^@paybridge\/sandbox$/, replacement: src("./packages/sandbox/src/index.ts") },
      { find: /^@paybridge\/client\/sandbox$/, replacement: src("./packages/client/src/sandbox/index.ts") },
      { find: /^@paybridge\/client$/, replacement: src("./packages/client/src/index.ts") },
    ],
  },
  test: {
    include: ["packages/*/test/**/*.test.ts", "examples/*/test/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
