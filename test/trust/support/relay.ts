/**
 * A relay on 127.0.0.1 in front of the sandbox that can be switched off — nothing listening,
 * so connections are refused — and on again on the same port, to show an order survives a
 * gateway that could not be reached.
 */
import { once } from "node:events";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Relay {
  /** http://127.0.0.1:<port>, the same while the relay is off. */
  readonly url: string;
  /** Where requests go: an origin such as http://127.0.0.1:4000. */
  target: string;
  off(): Promise<void>;
  on(): Promise<void>;
}

export async function startRelay(): Promise<Relay> {
  let server: Server | undefined;
  let port = 0;
  const relay: Relay = {
    url: "",
    target: "",
    async on() {
      const next = createServer((req, res) => {
        const upstream = request(
          `${relay.target}${req.url ?? "/"}`,
          { method: req.method, headers: { ...req.headers, host: new URL(relay.target).host } },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on("error", () => res.destroy());
        req.pipe(upstream);
      });
      next.listen(port, "127.0.0.1");
      await once(next, "listening");
      port = (next.address() as AddressInfo).port;
      server = next;
    },
    async off() {
      const current = server;
      server = undefined;
      if (!current) return;
      current.closeAllConnections();
      await new Promise<void>((resolve) => current.close(() => resolve()));
    },
  };
  await relay.on();
  (relay as { url: string }).url = `http://127.0.0.1:${port}`;
  return relay;
}
