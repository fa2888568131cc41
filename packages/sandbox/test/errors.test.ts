/**
 * The sandbox's errors: JSON, never Express's HTML page (its stack trace names absolute file
 * paths), no X-Powered-By, and the logger gets the error's name, never the request body.
 */
import { describe, expect, it } from "vitest";
import { startSandbox } from "./support.js";

const BODY_MARKER = "REQUEST-BODY-MARKER-91c2";

async function send(url: string, init: RequestInit = {}) {
  const response = await fetch(url, init);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

function expectJsonError(answer: Awaited<ReturnType<typeof send>>, status: number): void {
  expect(answer.status).toBe(status);
  expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
  expect(answer.headers.get("x-powered-by")).toBeNull();
  expect(JSON.parse(answer.text)).toMatchObject({ error: { message: expect.any(String) } });
  for (const sign of ["<", " at ", "/work", "node_modules", "Error:", BODY_MARKER]) expect(answer.text).not.toContain(sign);
}

describe("sandbox errors", () => {
  it("answer JSON without a stack trace, paths or X-Powered-By, and log the error's name only", async () => {
    const lines: string[] = [];
    const record = (message: string, fields?: Record<string, unknown>) => void lines.push(`${message} ${JSON.stringify(fields)}`);
    const running = await startSandbox({ logger: { info: record, warn: record, error: record } });

    const unreadable = await send(`${running.url}/control/complete`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: `{"gateway": "${BODY_MARKER}"`,
    });
    expectJsonError(unreadable, 400);

    const tooLarge = await send(`${running.url}/upaas/v2/pay/jsapi`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ note: `${BODY_MARKER}${"x".repeat(70 * 1024)}` }),
    });
    expectJsonError(tooLarge, 413);

    const badPath = await send(`${running.url}/page/upaas/%E0%A4%A`);
    expectJsonError(badPath, 400);

    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.join("\n")).not.toContain(BODY_MARKER);
    expect(lines.join("\n")).toMatch(/"error":"SyntaxError"/);
  });

  it("sends no X-Powered-By on ordinary answers either", async () => {
    const running = await startSandbox();
    const answer = await send(`${running.url}/page/upaas/no-such-order`);
    expect(answer.status).toBe(404);
    expect(answer.headers.get("x-powered-by")).toBeNull();
  });
});
