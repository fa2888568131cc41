/**
 * The leak watch itself: the "no secret anywhere" checks of the other files are only as good
 * as its reach, so prove it sees a secret in each place it watches.
 */
import { describe, expect, it } from "vitest";
import { watchForLeaks } from "./support/leaks.js";

const SECRET = "CANARY-leak-watch-secret-42";

describe("the leak watch", () => {
  it("finds a secret in a logger line, deep in an error's cause", () => {
    const watch = watchForLeaks();
    try {
      watch.logger.error("gateway failed", { error: new Error("outer", { cause: new Error(`key=${SECRET}`) }) });
      expect(watch.findSecrets([SECRET])).toHaveLength(1);
    } finally {
      watch.restore();
    }
  });

  it("finds a secret written to stdout, stderr or the console", () => {
    const watch = watchForLeaks();
    try {
      process.stdout.write(`out ${SECRET}\n`);
      process.stderr.write(Buffer.from(`err ${SECRET}\n`));
      console.warn("config", { key: SECRET });
      expect(watch.findSecrets([SECRET])).toHaveLength(3);
    } finally {
      watch.restore();
    }
  });

  it("finds a secret in a recorded response, and nothing when there is none", () => {
    const watch = watchForLeaks();
    try {
      watch.record('{"error":{"message":"internal error"}}');
      expect(watch.findSecrets([SECRET])).toEqual([]);
      watch.record(`{"sign":"x","key":"${SECRET}"}`);
      expect(watch.findSecrets([SECRET])).toHaveLength(1);
    } finally {
      watch.restore();
    }
  });
});
