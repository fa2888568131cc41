#!/usr/bin/env node
// The demo's command line: `node examples/express-h5/server.mjs` after `pnpm build`.
// PORT (default 3000) and PAYBRIDGE_GATEWAY (default upaas) choose where and what; stdout
// carries one JSON line per paid order, everything else goes to stderr.
import { startDemo } from "./demo.mjs";

const port = process.env.PORT === undefined ? 3000 : Number(process.env.PORT);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`PORT must be a port number, got ${JSON.stringify(process.env.PORT)}\n`);
  process.exit(1);
}

try {
  const demo = await startDemo({ port });
  const stop = () => void demo.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
