/**
 * A merchant's JSON parser mounted before the sandbox (the demo's layout with one line
 * moved): the sandbox still reads each adapter's request, and says once that the parser runs
 * before it, instead of the router answering a 502 that points nowhere.
 */
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { createSandbox, sandboxAdapters, SANDBOX_GATEWAY_IDS } from "@paybridge/sandbox";
import { paybridge, type PaybridgeRouter } from "@paybridge/server-middleware";
import { EXPRESS_HOSTS, expressOf } from "../../server-middleware/test/support/hosts.js";

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe.each(EXPRESS_HOSTS)("on %s, express.json() mounted before the sandbox", (hostName) => {
  it("every gateway's create still works, and the sandbox warns once naming the fix", async () => {
    const express = expressOf(hostName);
    const warnings: string[] = [];
    const sandbox = createSandbox({ notifyRetryDelaysMs: [], logger: { info() {}, warn: (message) => warnings.push(message), error() {} } });
    let router: PaybridgeRouter | undefined;
    const app = express();
    app.use("/pay", (req, res, next) => (router as PaybridgeRouter)(req, res, next));
    app.use(express.json());
    app.use("/sandbox", sandbox);
    const server = createServer(app).listen(0, "127.0.0.1");
    servers.push(server);
    await once(server, "listening");
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    router = paybridge({
      gateways: sandboxAdapters(`${base}/sandbox`),
      routing: ({ orderNo }) => orderNo.slice(0, orderNo.indexOf("-")),
      publicUrl: `${base}/pay`,
      statusTokenSecret: "status-token-secret-0123456789-abcdef",
      resolveOrder: () => ({ amountFen: 100 }),
      onPaid: () => {},
      logger: { info() {}, warn() {}, error() {} },
    });
    for (const gateway of SANDBOX_GATEWAY_IDS) {
      const res = await request(server).post("/pay/orders").send({ orderNo: `${gateway}-JSON1`, channel: "wechat", openId: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" });
      expect([gateway, res.status]).toEqual([gateway, 201]);
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/express\.json\(\).*mount createSandbox\(\) before it/);
  });
});
