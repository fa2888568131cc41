/** A file server on 127.0.0.1 for the browser cells: URL path → file, nothing else. */
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname } from "node:path";

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml" };

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

export async function serveFiles(files: ReadonlyMap<string, string>): Promise<StaticServer> {
  const server: Server = createServer((req, res) => {
    const file = files.get(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
    if (file === undefined) return void res.writeHead(404).end();
    readFile(file).then(
      (body) => res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
