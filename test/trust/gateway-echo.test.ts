/**
 * A gateway that echoes the string it was asked to sign (which ends in our key) in its refusal:
 * the key must reach neither the browser nor the log. The browser gets a fixed message and the
 * gateway's code; the log and the `gateway.error` listeners get the gateway's message, redacted.
 */
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxAdapters } from "@paybridge/sandbox";
import { redactGatewayText, safeGatewayCode } from "../../packages/server-middleware/src/redact.js";
import { CANARY_CREDENTIALS, CANARY_STATUS_TOKEN_SECRET } from "./support/canaries.js";
import { GATEWAY_IDS, orderNumber, secretsOf, startHarness, type Harness } from "./support/harness.js";
import type { GatewayId } from "./support/notify-signers.js";

const SECRETS: Record<GatewayId, string> = {
  upaas: CANARY_CREDENTIALS.upaas.key,
  lianke: CANARY_CREDENTIALS.lianke.key,
  xiangma: CANARY_CREDENTIALS.xiangma.key,
  fubei: CANARY_CREDENTIALS.fubei.appSecret,
  vbao: CANARY_CREDENTIALS.vbao.key,
};

/** What a careless gateway answers: its refusal, in every gateway's field names, quoting the string it signed. */
function echoRefusal(gateway: GatewayId, sent: string): Record<string, unknown> {
  // fubei appends its secret with no joiner; the others with `&key=`.
  const signed = gateway === "fubei" ? `${sent}${SECRETS.fubei}` : `${sent}&key=${SECRETS[gateway]}`;
  const text = `签名错误 sign error, string to sign: ${signed} (expected secret ${SECRETS[gateway]})`;
  return { code: "4001", message: text, msg: text, return_code: "FAIL", return_msg: text, result_code: 400, result_message: text, sub_code: "SIGN_ERROR" };
}

let echo: Server;
let harness: Harness;
const gatewayErrors: string[] = [];

beforeAll(async () => {
  const app = express();
  app.use(express.text({ type: () => true }));
  app.post(/.*/, (req, res) => {
    const gateway = req.path.split("/")[1] as GatewayId;
    res.json(echoRefusal(gateway, String(req.body).slice(0, 40)));
  });
  echo = app.listen(0, "127.0.0.1");
  await once(echo, "listening");
  const echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  harness = await startHarness({
    credentials: CANARY_CREDENTIALS,
    paybridge: { statusTokenSecret: CANARY_STATUS_TOKEN_SECRET },
    adapters: (_sandboxUrl, overrides) => sandboxAdapters(echoUrl, overrides),
  });
  harness.router.events.on("gateway.error", ({ error }) => gatewayErrors.push(`${error.message} ${String((error as { gatewayCode?: string }).gatewayCode)}`));
});

afterAll(async () => {
  await harness?.close();
  echo?.closeAllConnections();
  await new Promise((resolve) => echo?.close(resolve));
});

describe.each(GATEWAY_IDS)("a refusal from %s that echoes its string-to-sign", (gateway) => {
  it("gives the browser 502 with a fixed message and the gateway's code, and logs the message without the key", async () => {
    const answer = await harness.request("POST", "/orders", {
      body: JSON.stringify({ orderNo: orderNumber(gateway, "echo"), channel: "wechat", openId: "oOpenId1", appId: "wx01" }),
    });
    expect(answer.status).toBe(502);
    const body = JSON.parse(answer.text) as { error: Record<string, unknown> };
    expect(Object.keys(body.error).sort()).toEqual(["code", "message"]);
    expect(body.error.code).toBe("gateway_error");
    expect(body.error.message).toMatch(/^the payment gateway did not accept the request \(gateway code (4001|FAIL|SIGN_ERROR|400)\)$/);
    expect(answer.text).not.toContain("签名错误");

    const logged = harness.leaks.logLines.filter((line) => line.includes(gateway) && line.includes("签名错误"));
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.join("\n")).toContain("[redacted]");
    expect(harness.leaks.findSecrets(secretsOf(CANARY_CREDENTIALS, CANARY_STATUS_TOKEN_SECRET))).toEqual([]);
    expect(gatewayErrors.filter((text) => text.includes(SECRETS[gateway]))).toEqual([]);
  });
});

describe("redacting gateway text", () => {
  it("cuts the value of a secret-named pair even for a key it was never told", () => {
    expect(redactGatewayText("a=1&b=2&key=s3cr3t-unknown-to-us")).toBe("a=1&b=2&key=[redacted]");
    expect(redactGatewayText('{"app_secret": "abc123", "appKey":"zz9"} password=hunter2')).toBe(
      '{"app_secret": "[redacted]", "appKey":"[redacted]"} password=[redacted]',
    );
    expect(redactGatewayText("商户号不存在")).toBe("商户号不存在");
  });

  it("reads a megabyte of letters and underscores without backtracking for ever (the test's timeout is the bound)", () => {
    expect(redactGatewayText(`${"a".repeat(1024 * 1024)}key=x`)).toHaveLength(201);
    expect(redactGatewayText(`${"_".repeat(64 * 1024)}key=x`)).toHaveLength(201);
    expect(redactGatewayText(`${"_".repeat(20)}app_key=x&b=1`)).toBe(`${"_".repeat(20)}app_key=[redacted]&b=1`);
  });

  it("drops control characters and bounds the length, never cutting a character in half", () => {
    expect(redactGatewayText("line1\r\nline2")).toBe("line1 line2");
    const long = redactGatewayText(`${"a".repeat(199)}😀 and more`);
    expect(long).toBe(`${"a".repeat(199)}…`);
  });

  it("keeps a gateway code only when it looks like one and carries no secret", () => {
    expect(safeGatewayCode("SIGN_ERROR")).toBe("SIGN_ERROR");
    expect(safeGatewayCode("bad code with spaces")).toBeUndefined();
    expect(safeGatewayCode(SECRETS.upaas)).toBeUndefined();
    expect(safeGatewayCode(undefined)).toBeUndefined();
  });
});
