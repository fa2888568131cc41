/**
 * A stand-in merchant endpoint that records the notifies the sandbox sends. The bench uses
 * one real, sandbox-signed notify as the template for the notifies it fires itself, so the
 * load is exactly what the gateway sends, only re-addressed and re-signed per order.
 */
import http from "node:http";
import { closeServer, listenOnLoopback } from "./child.mjs";

const CAPTURE_TIMEOUT_MS = 15_000;

/** `successReply` is the gateway's success text, so the sandbox stops retrying. */
export async function startNotifyCapture({ successReply, contentType }) {
  const waiters = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const notify = { path: req.url, contentType: req.headers["content-type"], body: Buffer.concat(chunks) };
      res.writeHead(200, { "content-type": contentType }).end(successReply);
      waiters.shift()?.(notify);
    });
  });
  const { url } = await listenOnLoopback(server);
  return {
    url,
    /** Resolves the next notify to arrive (call before triggering it). */
    nextNotify() {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no notify reached the capture endpoint in ${CAPTURE_TIMEOUT_MS} ms`)), CAPTURE_TIMEOUT_MS);
        waiters.push((notify) => (clearTimeout(timer), resolve(notify)));
      });
    },
    close: () => closeServer(server),
  };
}
