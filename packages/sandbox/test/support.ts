/** A running sandbox (mounted at /sandbox, as in the demo) and a merchant notify endpoint to receive its notifies. */
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:http";
import express from "express";
import { afterEach } from "vitest";
import { createSandbox, type Sandbox, type SandboxOptions } from "@paybridge/sandbox";

export interface RunningSandbox {
  sandbox: Sandbox;
  /** http://127.0.0.1:port/sandbox */
  url: string;
  post(path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown>; text: string }>;
}

export interface ReceivedNotify {
  contentType: string | undefined;
  body: string;
}

export interface NotifyReceiver {
  url: string;
  received: ReceivedNotify[];
  /** What the merchant answers, per delivery (the last one repeats). */
  answers: { status: number; body: string }[];
}

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listen(server: Server): Promise<string> {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function startSandbox(options: SandboxOptions = { notifyRetryDelaysMs: [10, 20] }): Promise<RunningSandbox> {
  const sandbox = createSandbox(options);
  const app = express();
  app.use("/sandbox", sandbox);
  const server = createServer(app);
  const origin = await listen(server);
  cleanups.push(async () => sandbox.close());
  const url = `${origin}/sandbox`;
  return {
    sandbox,
    url,
    async post(path, body) {
      const response = await fetch(`${url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(text) as Record<string, unknown>;
      } catch {
        // Not JSON: the test reads `text`.
      }
      return { status: response.status, json, text };
    },
  };
}

export async function startNotifyReceiver(answers: { status: number; body: string }[]): Promise<NotifyReceiver> {
  const receiver: NotifyReceiver = { url: "", received: [], answers };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      receiver.received.push({ contentType: req.headers["content-type"], body: Buffer.concat(chunks).toString("utf8") });
      const answer = answers[Math.min(receiver.received.length, answers.length) - 1] ?? { status: 200, body: "" };
      res.writeHead(answer.status, { "content-type": "text/plain" }).end(answer.body);
    });
  });
  receiver.url = `${await listen(server)}/pay/notify/sandbox`;
  return receiver;
}

/** Resolves with the first event of that name from the sandbox. */
export function nextEvent<Name extends "notify.acknowledged" | "notify.gave-up">(sandbox: Sandbox, name: Name) {
  return once(sandbox.events, name) as Promise<[{ gateway: string; gatewayOrderNo: string; attempts: number }]>;
}

export function complete(running: RunningSandbox, body: Record<string, unknown>) {
  return running.post("/control/complete", body);
}
