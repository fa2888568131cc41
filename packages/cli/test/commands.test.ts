/**
 * The command line's arguments, output and exit codes against fake operations (the real ones:
 * bin.test.ts): help without a config, usage errors before anything runs, one error line that
 * never carries a gateway's text, JSON that parses, the store released after every command.
 */
import { describe, expect, it } from "vitest";
import { GatewayError, InvalidRequestError, type NotifyEntry, type OrderView } from "@paybridge/server-middleware/web";
import { run } from "./support.js";

const ORDER: OrderView = {
  orderNo: "A1",
  merchantId: "shopA",
  status: "paid",
  amountFen: 1234,
  refundedFen: 0,
  gateway: "xiangma",
  channel: "wechat",
  scene: "h5",
  createdAt: "2026-12-04T01:00:00.000Z",
  fulfilment: "done",
  version: 3,
  refunds: [],
};

describe("help and usage", () => {
  it("--help lists every command and the exit codes, exit 0, without loading a config", async () => {
    const result = await run(["--help"], { operations: {} });
    expect(result.code).toBe(0);
    for (const name of ["reconcile", "order show", "order query", "order close", "order refund", "notify list", "notify replay", "sweep"]) expect(result.stdout).toContain(name);
    expect(result.stdout).toMatch(/Exit codes:[\s\S]*1 {2}reconcile found mismatches[\s\S]*3 {2}config error/);
    expect(result.disposed).toBe(false);
  });

  it("a command's --help shows its options", async () => {
    const result = await run(["order", "refund", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("--refund-no <no>");
    expect((await run(["notify", "--help"])).stdout).toContain("paybridge notify replay");
  });

  it("no command, an unknown command or subcommand: exit 2 and one line on stderr", async () => {
    expect((await run([])).code).toBe(2);
    for (const argv of [["frob"], ["order", "frob", "A1"]]) {
      const result = await run(argv);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toMatch(/^paybridge: unknown .* \[usage\]$/m);
    }
  });

  it("an unknown flag or a missing argument is refused before any operation runs", async () => {
    const order = async () => ORDER;
    for (const argv of [["order", "show", "A1", "--bogus"], ["order", "show"], ["order", "show", "A1", "A2"], ["sweep", "extra"]]) {
      const result = await run(argv, { operations: { order } });
      expect(result.code, argv.join(" ")).toBe(2);
      expect(result.calls).toEqual([]);
    }
  });

  it("--json with an error prints the error as JSON too", async () => {
    const result = await run(["frob", "--json"]);
    expect(JSON.parse(result.stdout)).toEqual({ error: { code: "usage", message: expect.stringContaining("frob"), exitCode: 2 } });
  });
});

describe("order commands", () => {
  it("order show asks for the merchant's order, prints it as JSON, and releases the store", async () => {
    const result = await run(["--json", "order", "show", "A1", "--merchant", "shopA"], { operations: { order: async () => ORDER } });
    expect(result.code).toBe(0);
    expect(result.calls).toEqual([["order", "A1", "shopA"]]);
    expect(JSON.parse(result.stdout)).toEqual(ORDER);
    expect(result.disposed).toBe(true);
  });

  it("--merchant with a single-shop config is a usage error (it would be ignored)", async () => {
    const result = await run(["order", "show", "A1", "--merchant", "shopA"], { operations: { order: async () => ORDER }, merchants: false });
    expect([result.code, result.calls]).toEqual([2, []]);
    expect(result.stderr).toContain("--merchant is for a config with `merchants`");
  });

  it("order show prints yuan from fen; an unknown order is exit 4", async () => {
    expect((await run(["order", "show", "A1"], { operations: { order: async () => ORDER } })).stdout).toMatch(/amount\s+12\.34 \(1234 fen\)/);
    const missing = await run(["order", "show", "A9"], { operations: { order: async () => null } });
    expect(missing.code).toBe(4);
    expect(missing.stderr).toBe("paybridge: order not found [order_not_found]\n");
  });

  it("order refund: --refund-no required, --amount-fen a whole number; the request as typed", async () => {
    const refund = async () => ({ orderNo: "A1", refundNo: "R1", amountFen: 300, status: "succeeded", refundedFen: 300, fulfilled: true });
    expect((await run(["order", "refund", "A1"], { operations: { refund } })).code).toBe(2);
    expect((await run(["order", "refund", "A1", "--refund-no", "R1", "--amount-fen", "3.5"], { operations: { refund } })).code).toBe(2);
    const result = await run(["order", "refund", "A1", "--refund-no", "R1", "--amount-fen", "300", "--reason", "damaged", "--merchant", "shopA"], { operations: { refund } });
    expect(result.code).toBe(0);
    expect(result.calls).toEqual([["refund", { orderNo: "A1", refundNo: "R1", amountFen: 300, reason: "damaged", merchantId: "shopA" }]]);
    expect(result.stdout).toMatch(/status\s+succeeded/);
  });

  it("a failed refund is exit 4; a processing one exit 0 with the advice to run it again", async () => {
    const answer = (status: string) => async () => ({ orderNo: "A1", refundNo: "R1", amountFen: 300, status, refundedFen: 0, fulfilled: false });
    expect((await run(["order", "refund", "A1", "--refund-no", "R1"], { operations: { refund: answer("failed") } })).code).toBe(4);
    const processing = await run(["order", "refund", "A1", "--refund-no", "R1"], { operations: { refund: answer("processing") } });
    expect(processing.code).toBe(0);
    expect(processing.stdout).toContain("run the same command again");
  });

  it("a gateway's error is said in our words (never its text); a bad order number is a usage error", async () => {
    const close = async () => {
      throw new GatewayError("xiangma", "refused: sign=abc key=SECRET-VALUE-123", { gatewayCode: "ORDER_PAID" });
    };
    const result = await run(["order", "close", "A1"], { operations: { close } });
    expect(result.code).toBe(4);
    expect(result.stderr).toBe("paybridge: the payment gateway did not accept the request (gateway code ORDER_PAID) [gateway_error]\n");
    const invalid = async () => {
      throw new InvalidRequestError("orderNo must be 1-64 letters", "orderNo");
    };
    expect((await run(["order", "close", "A:1"], { operations: { close: invalid } })).code).toBe(2);
  });

  it("an unexpected error says its class only, unless --verbose", async () => {
    const order = async () => {
      throw new Error("connect to postgres://shop:hunter2@db failed");
    };
    const quiet = await run(["order", "show", "A1"], { operations: { order } });
    expect(quiet.code).toBe(4);
    expect(quiet.stderr).not.toContain("hunter2");
    expect(quiet.stderr).toContain("unexpected Error");
    expect((await run(["order", "show", "A1", "--verbose"], { operations: { order } })).stderr).toContain("at ");
  });
});

const entry = (n: number, verdict: NotifyEntry["verdict"] = "retry"): NotifyEntry => ({
  id: `id${String(n).padStart(5, "0")}`,
  gateway: "xiangma",
  receivedAt: "2026-12-04T02:00:00.000Z",
  body: "c2VjcmV0LWJvZHk=",
  headers: { "content-type": "application/json" },
  verdict,
  orderNo: `A${n}`,
  replays: 0,
  processedAt: "2026-12-04T02:00:00.000Z",
});

/** An inbox of `count` entries, paged as listNotifies pages them. */
const inbox = (count: number) => async (query: { after?: string; limit?: number }) => {
  const all = Array.from({ length: count }, (_, n) => entry(n));
  const start = query.after === undefined ? 0 : all.findIndex((e) => e.id === query.after) + 1;
  return all.slice(start, start + (query.limit ?? 100));
};

describe("notify commands", () => {
  it("notify list pages with `after` up to --limit, passes the filters, never prints the raw body", async () => {
    const result = await run(["notify", "list", "--limit", "1500", "--verdict", "retry", "--since", "2026-12-04", "--json"], { operations: { listNotifies: inbox(2000) } });
    expect(result.code).toBe(0);
    const listed = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(listed).toHaveLength(1500);
    expect(result.calls.map((call) => call[1])).toEqual([
      { since: "2026-12-04T00:00:00+08:00", verdict: "retry", limit: 1000 },
      { since: "2026-12-04T00:00:00+08:00", verdict: "retry", limit: 500, after: "id00999" },
    ]);
    expect(result.stdout).not.toContain("c2VjcmV0");
    expect(listed[0]).not.toHaveProperty("headers");
  });

  it("notify list refuses a bad verdict or time", async () => {
    expect((await run(["notify", "list", "--verdict", "maybe"])).code).toBe(2);
    expect((await run(["notify", "list", "--since", "yesterday"])).code).toBe(2);
  });

  it("notify replay <id>: exit 0 when accepted, 4 when not", async () => {
    const replay = (verdict: string) => async (id: string) => ({ id, gateway: "xiangma", verdict, orderNo: "A1", replyStatus: verdict === "accepted" ? 200 : 500 });
    const accepted = await run(["notify", "replay", "id1"], { operations: { replay: replay("accepted") } });
    expect([accepted.code, accepted.calls]).toEqual([0, [["replay", "id1"]]]);
    expect((await run(["notify", "replay", "id1"], { operations: { replay: replay("retry") } })).code).toBe(4);
    expect((await run(["notify", "replay"], { operations: { replay: replay("accepted") } })).code).toBe(2);
    expect((await run(["notify", "replay", "--all", "--verdict", "retry"], { operations: { replay: replay("accepted") } })).code).toBe(2);
  });

  it("notify replay --all replays every match (a progress bar on a terminal), goes on past a failure, exit 4", async () => {
    const replay = async (id: string) => {
      if (id === "id00001") throw new Error("store down");
      return { id, gateway: "xiangma", verdict: "accepted", replyStatus: 200 };
    };
    const result = await run(["notify", "replay", "--all", "--since", "2026-12-04", "--verdict", "retry"], { operations: { listNotifies: inbox(3), replay }, tty: true });
    expect(result.code).toBe(4);
    expect(result.calls.filter((call) => call[0] === "replay").map((call) => call[1])).toEqual(["id00000", "id00001", "id00002"]);
    expect(result.stdout).toContain("2 replayed: 2 accepted, 0 rejected, 0 unmatched, 0 retry; 1 could not be replayed");
    expect(result.stderr).toContain("replaying [");
    const json = await run(["notify", "replay", "--all", "--since", "2026-12-04", "--json"], { operations: { listNotifies: inbox(3), replay }, tty: true });
    expect(JSON.parse(json.stdout)).toMatchObject({ replayed: 2, verdicts: { accepted: 2 }, failures: [{ id: "id00001", code: "internal" }] });
    expect(json.stderr).toBe("");
  });
});

describe("sweep", () => {
  it("prints the sweep's counts", async () => {
    const sweepExpired = async () => ({ closed: 2, failed: 1, deferred: 0, pruned: 5, prunedNotifies: 7 });
    const text = await run(["sweep"], { operations: { sweepExpired } });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/closed\s+2\n/);
    expect(JSON.parse((await run(["sweep", "--json"], { operations: { sweepExpired } })).stdout)).toEqual(await sweepExpired());
  });
});
