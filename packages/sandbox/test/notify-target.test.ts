/**
 * The sandbox notifies only the paybridge router it was configured for (`notifyBaseUrl`): an
 * order created with the public sandbox key and a notify URL at some other local service must
 * not make /control/complete POST there, nor hand back that service's answer.
 */
import { describe, expect, it } from "vitest";
import { createSandbox } from "@paybridge/sandbox";
import { ConfigError } from "@paybridge/server-middleware";
import { DRIVERS } from "./requests.js";
import { complete, startNotifyReceiver, startSandbox } from "./support.js";

const SECRET_ANSWER = "INTERNAL-SERVICE-ANSWER-7f3a";

describe.each(DRIVERS)("$gateway with notifyBaseUrl", (driver) => {
  it("refuses to notify another local service, sends it nothing and returns none of its answer", async () => {
    const router = await startNotifyReceiver([{ status: 200, body: driver.success }]);
    const other = await startNotifyReceiver([{ status: 200, body: SECRET_ANSWER }]);
    const running = await startSandbox({ notifyRetryDelaysMs: [10], notifyBaseUrl: new URL("/pay/notify/", router.url).href });
    const targets = [
      other.url,
      // The router's path on another port, and a path that climbs out of the base.
      `${new URL(other.url).origin}${new URL(router.url).pathname}`,
      `${new URL(router.url).origin}/pay/notify/../../internal`,
      `${new URL(router.url).origin}/pay/notifyX/internal`,
    ];
    for (const target of targets) {
      const gatewayOrderNo = await driver.create(running, target);
      const result = await complete(running, { gateway: driver.gateway, gatewayOrderNo, outcome: "paid" });
      expect(result.status, target).toBe(403);
      expect(result.json).toEqual({ error: { message: "the sandbox sends notifies only under its notifyBaseUrl", field: "notifyUrl" } });
      expect(result.text).not.toContain(SECRET_ANSWER);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(other.received).toHaveLength(0);
    expect(router.received).toHaveLength(0);

    const gatewayOrderNo = await driver.create(running, router.url);
    const delivered = await complete(running, { gateway: driver.gateway, gatewayOrderNo, outcome: "paid" });
    expect(delivered.json).toEqual({ delivered: true, attempts: 1, reply: driver.success });
    expect(router.received).toHaveLength(1);
  });
});

describe("notifyBaseUrl", () => {
  it("must be an absolute http(s) URL without credentials, query or fragment", () => {
    for (const notifyBaseUrl of ["/pay/notify/", "ftp://127.0.0.1/pay/", "http://u:p@127.0.0.1/pay/", "http://127.0.0.1/pay/?a=1", 42]) {
      expect(() => createSandbox({ notifyBaseUrl: notifyBaseUrl as string }), String(notifyBaseUrl)).toThrow(ConfigError);
    }
    expect(() => createSandbox({ notifyBaseUrl: "http://127.0.0.1:3000/pay/notify/" }).close()).not.toThrow();
  });
});
