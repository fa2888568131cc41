/**
 * With an OpenTelemetry SDK registered, the engine wraps every adapter to measure its calls:
 * the wrapped adapter still has its bill API, so reconcile still fetches the bill.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { GatewayAdapter } from "../../../src/gateways/contract.js";
import { installTelemetry, type InstalledTelemetry } from "../../support/telemetry.js";
import { DAY, payRow, reconcileSetup, sh } from "../../support/reconcile-setup.js";

let telemetry: InstalledTelemetry | undefined;
afterEach(async () => {
  await telemetry?.uninstall();
  telemetry = undefined;
});

describe("reconcile under OpenTelemetry", () => {
  it("fetches the bill through an instrumented adapter", async () => {
    telemetry = installTelemetry();
    const fetchBill: GatewayAdapter["fetchBill"] = async function* () {
      yield payRow(2, "A1", 1000, "09:00:00");
    };
    const { store, host } = reconcileSetup({ fetchBill });
    await store.seed("A1", 1000, sh("09:00:00"));
    const result = await host.reconcile({ date: DAY, gateway: "fake" });
    expect(result.matched.payments).toBe(1);
  });
});
