/**
 * The merchant's own body parsers, mounted before paybridge on Express 4 and 5: the notify
 * route must tell a parser that read the bytes from one that only set `req.body = {}`
 * (Express 4's parsers for a content type not theirs), and take the bytes a parser kept on
 * `req.rawBody` (the `verify` escape hatch, as @octokit/webhooks reads them).
 */
import type { IncomingMessage } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/fake-adapter.js";
import { EXPRESS_HOSTS, expressOf } from "../support/hosts.js";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe.each(EXPRESS_HOSTS)("on %s, a body parser mounted before paybridge", (hostName) => {
  const express = expressOf(hostName);
  const start = async (before: NonNullable<Parameters<typeof startHarness>[0]>["before"]): Promise<Harness> => {
    harness = await startHarness({ host: hostName, before });
    return harness;
  };

  it("express.urlencoded(): a JSON notify (not its type, left unread) settles", async () => {
    const { api, gateway, paid } = await start([express.urlencoded({ extended: false })]);
    await api.post("/pay/orders").send({ orderNo: "BP1" }).expect(201);
    const res = await api.post("/pay/notify/fake").type("json").send(gateway.notify({ orderNo: "BP1", amountFen: 100 }));
    expect([res.status, res.text]).toEqual([200, "SUCCESS"]);
    expect(paid.map((payment) => payment.orderNo)).toEqual(["BP1"]);
  });

  it("express.json(): a text/plain notify (not its type, left unread) settles", async () => {
    const { api, gateway, paid } = await start([express.json()]);
    await api.post("/pay/orders").send({ orderNo: "BP2" }).expect(201);
    await api.post("/pay/notify/fake").type("text/plain").send(gateway.notify({ orderNo: "BP2", amountFen: 100 })).expect(200, "SUCCESS");
    expect(paid.map((payment) => payment.orderNo)).toEqual(["BP2"]);
  });

  it("express.json({ verify }) keeping req.rawBody: a JSON notify settles on the kept bytes", async () => {
    const keepRawBody = (req: IncomingMessage, _res: unknown, buf: Buffer): void => {
      (req as IncomingMessage & { rawBody?: Buffer }).rawBody = buf;
    };
    const { api, gateway, paid } = await start([express.json({ verify: keepRawBody })]);
    await api.post("/pay/orders").send({ orderNo: "BP3" }).expect(201);
    await api.post("/pay/notify/fake").type("json").send(gateway.notify({ orderNo: "BP3", amountFen: 100 })).expect(200, "SUCCESS");
    expect(paid.map((payment) => payment.orderNo)).toEqual(["BP3"]);
  });

  it("express.json() that read a JSON notify: 500 with the failure reply, and the log says how to fix it", async () => {
    const { api, gateway, paid, logs } = await start([express.json()]);
    await api.post("/pay/orders").send({ orderNo: "BP4" }).expect(201);
    // 500, not 4xx: nothing is wrong with the notify, so the gateway must retry once mounting is fixed.
    const res = await api.post("/pay/notify/fake").type("json").send(gateway.notify({ orderNo: "BP4", amountFen: 100 }));
    expect([res.status, res.text]).toEqual([500, gateway.adapter.notifyReply.failure.body]);
    expect(paid).toEqual([]);
    const logged = logs.map((log) => `${log.message} ${JSON.stringify(log.fields)}`).join("\n");
    expect(logged).toMatch(/raw bytes.*mount paybridge before express\.json\(\)/);
    expect(logged).toMatch(/req\.rawBody = buf/);
  });

  it("express.json(): the create route takes the body it parsed", async () => {
    const { api, gateway } = await start([express.json()]);
    await api.post("/pay/orders").send({ orderNo: "BP5", channel: "alipay" }).expect(201);
    expect(gateway.createCalls.map((call) => [call.orderNo, call.channel])).toEqual([["BP5", "alipay"]]);
  });

  it("express.urlencoded(): the create route still reads its JSON body", async () => {
    const { api, gateway } = await start([express.urlencoded({ extended: false })]);
    await api.post("/pay/orders").send({ orderNo: "BP6", channel: "alipay" }).expect(201);
    expect(gateway.createCalls.map((call) => [call.orderNo, call.channel])).toEqual([["BP6", "alipay"]]);
  });
});
