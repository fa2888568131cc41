/**
 * The SQL stores' schema: versioned migrations shipped with the package as SQL files
 * (`migrations/postgres/NNN_name.sql`, `migrations/mysql/NNN_name.sql`), each recording itself
 * in the `paybridge_schema` table as its last statement. A store checks that table before its
 * first use and refuses to run on an older schema, naming the migration to run.
 */
import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { StoreSchemaError } from "../errors.js";

export type SqlDialect = "postgres" | "mysql";

export interface Migration {
  version: number;
  /** The file name without `.sql`, e.g. `001_orders`. */
  name: string;
  /** The package-relative path, e.g. `migrations/postgres/001_orders.sql`. */
  path: string;
  statements: string[];
}

/** Where the package keeps them: two levels above this file, from src/store/ and dist/store/ alike. */
const MIGRATIONS_ROOT = new URL("../../migrations/", import.meta.url);

const loaded = new Map<SqlDialect, Promise<Migration[]>>();

/** The dialect's migrations, oldest first (read once per process). */
export function migrations(dialect: SqlDialect): Promise<Migration[]> {
  let found = loaded.get(dialect);
  if (!found) {
    found = readMigrations(dialect);
    loaded.set(dialect, found);
    found.catch(() => loaded.delete(dialect));
  }
  return found;
}

async function readMigrations(dialect: SqlDialect): Promise<Migration[]> {
  const dir = new URL(`${dialect}/`, MIGRATIONS_ROOT);
  const files = (await readdir(fileURLToPath(dir))).filter((file) => /^\d{3}_[a-z0-9_]+\.sql$/.test(file)).sort();
  return Promise.all(
    files.map(async (file) => ({
      version: Number(file.slice(0, 3)),
      name: file.slice(0, -4),
      path: `migrations/${dialect}/${file}`,
      statements: splitStatements(await readFile(fileURLToPath(new URL(file, dir)), "utf8")),
    })),
  );
}

/** A migration file's statements: `--` comment lines dropped, split at a `;` that ends a line. */
export function splitStatements(sql: string): string[] {
  const code = sql
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("--"))
    .join("\n");
  return code
    .split(/;[ \t]*(?:\r?\n|$)/)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}

/** The migrations a database at `current` lacks. */
export function pending(all: readonly Migration[], current: number): Migration[] {
  return all.filter((migration) => migration.version > current);
}

/** Throws StoreSchemaError when the database at version `current` lacks one of `all`. */
export function requireSchema(store: string, all: readonly Migration[], current: number): void {
  const [first] = pending(all, current);
  if (!first) return;
  const latest = all[all.length - 1]!.version;
  const at = current === 0 ? "has no paybridge tables" : `is at schema version ${current}`;
  throw new StoreSchemaError(
    store,
    `the database ${at}; this @paybridge/server-middleware needs version ${latest}. ` +
      `Run \`await store.migrate()\` once, or apply ${first.path} (shipped in the package) and every later one with your migration tool`,
    first.path,
  );
}
