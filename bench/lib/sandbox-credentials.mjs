/** The sandbox's public test credentials for one gateway (SANDBOX_CREDENTIALS, dist). */
import { distFiles } from "./paths.mjs";

export async function sandboxCredentials(gateway) {
  const { SANDBOX_CREDENTIALS } = await import(distFiles.sandbox);
  const credentials = SANDBOX_CREDENTIALS?.[gateway];
  if (!credentials || typeof credentials.key !== "string") {
    throw new Error(`SANDBOX_CREDENTIALS.${gateway} has no key (got keys: ${Object.keys(credentials ?? {}).join(", ")})`);
  }
  return credentials;
}
