/**
 * The merchant's logger as it comes: pino (fields first; a leading string is the message and
 * the rest format arguments), winston (message, then meta) and console. Each is a fake with
 * that signature, recording what it would keep.
 */
import { Writable } from "node:stream";
import { Console } from "node:console";
import { afterEach, describe, expect, it } from "vitest";
import type { Logger } from "../../src/types.js";
import { startHarness, type Harness } from "../support/fake-adapter.js";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

interface Kept {
  level: string;
  message: unknown;
  fields: Record<string, unknown>;
}

/** pino's call: `(obj, msg)`; `(msg, ...args)` keeps only msg (args are printf arguments). */
function fakePino(kept: Kept[]) {
  const level =
    (name: string) =>
    (first: unknown, ...rest: unknown[]): void => {
      if (typeof first === "string") kept.push({ level: name, message: first, fields: {} });
      else kept.push({ level: name, message: rest[0], fields: { ...(first as Record<string, unknown>) } });
    };
  return { levels: { values: { info: 30, warn: 40, error: 50 } }, bindings: () => ({}), child: () => ({}), info: level("info"), warn: level("warn"), error: level("error") };
}

/** winston's call: `(message, meta)`; an object message becomes the message as is. */
function fakeWinston(kept: Kept[]) {
  const level =
    (name: string) =>
    (message: unknown, meta?: Record<string, unknown>): void =>
      void kept.push({ level: name, message, fields: { ...meta } });
  return { levels: { error: 0, warn: 1, info: 2 }, transports: [], child: () => ({}), info: level("info"), warn: level("warn"), error: level("error") };
}

async function provoke(logger: unknown): Promise<void> {
  harness = await startHarness({
    logger: logger as Logger,
    onPaidImpl: () => {
      throw new Error("fulfilment database down");
    },
  });
  const { api, gateway } = harness;
  await api.post("/pay/orders").send({ orderNo: "LG1" }).expect(201);
  // A forged notify (warn, with fields) and a paid one whose onPaid throws (error, with the Error).
  await api.post("/pay/notify/fake").type("json").send(gateway.forgedNotify({ orderNo: "LG1", amountFen: 100 })).expect(400);
  await api.post("/pay/notify/fake").type("json").send(gateway.notify({ orderNo: "LG1", amountFen: 100 }));
}

describe("the logger option", () => {
  it("calls pino fields first, so the fields are kept, and passes the Error as err", async () => {
    const kept: Kept[] = [];
    await provoke(fakePino(kept));
    expect(kept).toContainEqual({ level: "warn", message: "notify rejected", fields: { gateway: "fake", reason: "bad signature" } });
    const failure = kept.find((entry) => entry.level === "error");
    expect(failure?.message).toMatch(/onPaid threw/);
    expect(failure?.fields).toMatchObject({ orderNo: "LG1", err: expect.any(Error) });
    expect((failure?.fields.err as Error).message).toBe("fulfilment database down");
  });

  it("calls winston message first with the fields as meta, and passes the Error as err", async () => {
    const kept: Kept[] = [];
    await provoke(fakeWinston(kept));
    expect(kept).toContainEqual({ level: "warn", message: "notify rejected", fields: { gateway: "fake", reason: "bad signature" } });
    const failure = kept.find((entry) => entry.level === "error");
    expect(typeof failure?.message).toBe("string");
    expect(failure?.fields).toMatchObject({ orderNo: "LG1", err: expect.any(Error) });
  });

  it("takes a console as it is: message, then the fields with the Error's stack", async () => {
    let output = "";
    const sink = new Writable({ write: (chunk, _encoding, done) => void ((output += String(chunk)), done()) });
    await provoke(new Console({ stdout: sink, stderr: sink, colorMode: false }));
    expect(output).toMatch(/notify rejected \{[^}]*gateway: 'fake'[^}]*reason: 'bad signature'/);
    expect(output).toMatch(/onPaid threw[\s\S]*Error: fulfilment database down\n\s+at /);
  });
});
