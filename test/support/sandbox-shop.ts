/**
 * The sandbox and a shop app, each listening on 127.0.0.1, for the tests that drive the real
 * router against the sandbox's gateway simulators (the shop mounts its router under /pay).
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import { createSandbox, type Sandbox } from "@paybridge/sandbox";

/** The WeChat app ids upaas and lianke need come from the merchant's configuration. */
export const SANDBOX_MERCHANT_CONFIG = {
  upaas: { wxAppId: "wx-sandbox-oa", subAppId: "wx-sandbox-mini", subAppName: "Sandbox Shop" },
  lianke: { appId: "wx-sandbox-oa" },
};

export interface SandboxShop {
  sandbox: Sandbox;
  /** Where the sandbox is mounted: `http://127.0.0.1:<port>/sandbox`. */
  sandboxUrl: string;
  /** The shop app: the test mounts its paybridge router at /pay. */
  shop: express.Express;
  /** `http://127.0.0.1:<port>/pay`. */
  payUrl: string;
  close(): Promise<void>;
}

export async function startSandboxShop(): Promise<SandboxShop> {
  const sandbox = createSandbox({ notifyRetryDelaysMs: [] });
  const sandboxSide = await listen(express().use("/sandbox", sandbox));
  const shop = express();
  const shopSide = await listen(shop);
  return {
    sandbox,
    sandboxUrl: `${sandboxSide.url}/sandbox`,
    shop,
    payUrl: `${shopSide.url}/pay`,
    async close() {
      sandbox.close();
      await Promise.all([closeServer(shopSide.server), closeServer(sandboxSide.server)]);
    },
  };
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

function listen(app: express.Express): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = app.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
