/**
 * The config file: `paybridge.config.mjs` (or `--config <file>`), resolved from the working
 * directory, whose default export is the options the router takes (or a function, possibly
 * async, returning them). The operations are built from it with paybridgeHandler(), the
 * Express-free entry; the CLI never starts a sweep timer of its own.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { paybridgeHandler, type BillColumns, type GatewayAdapter, type MerchantSetup, type PaybridgeHandler, type PaybridgeHandlerOptions } from "@paybridge/server-middleware/web";
import { CliError, EXIT } from "./exit-codes.js";

export const DEFAULT_CONFIG = "paybridge.config.mjs";

/** What the commands use: the handler's operations, the bill presets of the configured gateways, and the clean-up. */
export interface Paybridge {
  readonly operations: PaybridgeHandler;
  /** The gateway's bill columns preset (`adapter.billColumns`), for a merchant's setup when merchants are configured. */
  billColumns(gateway: string, merchantId?: string): Promise<BillColumns | undefined>;
  /** The config has `merchants`: every order and day belongs to one, named by `--merchant`. */
  readonly merchants: boolean;
  /** Whether `gateway` is configured (every id passes with `merchants`: they load per merchant). */
  hasGateway(gateway: string): boolean;
  /** Stops any sweep and closes the store's connections. */
  dispose(): Promise<void>;
}

const configError = (code: string, message: string, cause?: unknown): CliError => new CliError(EXIT.config, code, message, { cause });

export async function loadConfig(path: string | undefined, cwd: string): Promise<Paybridge> {
  const file = resolve(cwd, path ?? DEFAULT_CONFIG);
  if (!existsSync(file)) throw configError("config_missing", `no config file at ${file} (give --config <file>)`);
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const name = error instanceof Error ? error.name : typeof error;
    throw configError("config_invalid", `the config file ${file} could not be loaded (${name}; --verbose shows why)`, error);
  }
  const exported = loaded.default;
  if (exported === undefined) throw configError("config_invalid", `the config file ${file} has no default export (the router's options)`);
  let options: PaybridgeHandlerOptions;
  try {
    options = (typeof exported === "function" ? await (exported as () => unknown)() : exported) as PaybridgeHandlerOptions;
  } catch (error) {
    const name = error instanceof Error ? error.name : typeof error;
    throw configError("config_invalid", `the config's default export threw (${name}; --verbose shows why)`, error);
  }
  if (typeof options !== "object" || options === null) throw configError("config_invalid", "the config's default export must be the router's options (an object)");
  if (options.store === undefined) {
    throw configError("config_invalid", "the config gives no `store`: a command line process would see an empty memory store");
  }
  // The operator runs one command: a sweep runs only when asked (`paybridge sweep`).
  const operations = paybridgeHandler({ ...options, sweepIntervalMs: 0 });
  const gateways = new Map((options.gateways ?? []).map((adapter) => [adapter.id, adapter] as const));
  return {
    operations,
    merchants: options.merchants !== undefined,
    hasGateway: (gateway) => options.merchants !== undefined || gateways.has(gateway),
    async billColumns(gateway, merchantId) {
      if (options.merchants === undefined) return gateways.get(gateway)?.billColumns;
      if (merchantId === undefined) return undefined;
      const setup: MerchantSetup | null | undefined = await options.merchants(merchantId);
      return setup?.gateways.find((adapter: GatewayAdapter) => adapter.id === gateway)?.billColumns;
    },
    async dispose() {
      operations.stopSweeping();
      await operations.store.close?.();
    },
  };
}
