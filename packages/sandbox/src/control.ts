/**
 * Control endpoints (JSON), for tests, the client's fake bridges and the redirect page:
 * POST /control/complete and POST /control/fault. Errors: `{ error: { message, field? } }`.
 */
import express, { Router, type Response } from "express";
import { isSandboxGatewayId, type SandboxGatewayId } from "./credentials.js";
import { isFaultKind, type FaultInjector } from "./faults.js";
import { isJsonObject } from "./fields.js";
import type { Notifier } from "./notifier.js";
import type { GatewaySimulator } from "./simulator.js";

export interface ControlOptions {
  simulators: ReadonlyMap<SandboxGatewayId, GatewaySimulator>;
  faults: FaultInjector;
  notifier: Notifier;
  retryDelaysFor(simulator: GatewaySimulator): readonly number[];
  /** Why a notify may not go to this URL; undefined when it may. */
  notifyRefusal(url: string): string | undefined;
}

function reject(res: Response, status: number, message: string, field?: string): void {
  res.status(status).json({ error: { message, ...(field ? { field } : {}) } });
}

export function controlRouter(options: ControlOptions): Router {
  const router = Router();
  router.use(express.json({ limit: "16kb" }));

  router.post("/complete", async (req, res) => {
    const body: unknown = req.body;
    if (!isJsonObject(body)) return reject(res, 400, "body must be a JSON object");
    const { gateway, gatewayOrderNo, outcome, notify } = body;
    if (!isSandboxGatewayId(gateway)) return reject(res, 400, "unknown gateway", "gateway");
    if (typeof gatewayOrderNo !== "string") return reject(res, 400, "gatewayOrderNo must be a string", "gatewayOrderNo");
    if (outcome !== "paid" && outcome !== "failed") return reject(res, 400, 'outcome must be "paid" or "failed"', "outcome");
    if (notify !== undefined && typeof notify !== "boolean") return reject(res, 400, "notify must be a boolean", "notify");

    const simulator = options.simulators.get(gateway) as GatewaySimulator;
    const order = simulator.orders.byGatewayOrderNo(gatewayOrderNo);
    if (!order) return reject(res, 404, `no ${gateway} order ${gatewayOrderNo}`, "gatewayOrderNo");
    // Completing again with the same outcome re-sends the notify (a gateway's duplicate); changing it is refused.
    if (order.status !== "pending" && order.status !== outcome) {
      return reject(res, 409, `order is already ${order.status}`, "outcome");
    }
    const sendNotify = notify !== false && order.notifyUrl !== undefined;
    const refusal = sendNotify ? options.notifyRefusal(order.notifyUrl as string) : undefined;
    if (refusal !== undefined) return reject(res, 403, refusal, "notifyUrl");
    if (order.status === "pending") {
      order.status = outcome;
      order.completedAt = new Date();
    }
    if (!sendNotify) return void res.json({ delivered: false, attempts: 0, reply: null });
    const result = await options.notifier.start({
      gateway,
      gatewayOrderNo,
      url: order.notifyUrl as string,
      message: simulator.notify(order),
      isAcknowledged: simulator.isAcknowledged,
      retryDelaysMs: options.retryDelaysFor(simulator),
    });
    res.json(result);
  });

  router.post("/fault", (req, res) => {
    const body: unknown = req.body;
    if (!isJsonObject(body)) return reject(res, 400, "body must be a JSON object");
    const { gateway, kind, times } = body;
    if (!isSandboxGatewayId(gateway)) return reject(res, 400, "unknown gateway", "gateway");
    if (!isFaultKind(kind)) return reject(res, 400, "kind must be timeout, http-500, invalid-json or bad-sign", "kind");
    if (times !== undefined && !(typeof times === "number" && Number.isSafeInteger(times) && times >= 1)) {
      return reject(res, 400, "times must be a positive integer", "times");
    }
    const count = (times as number | undefined) ?? 1;
    options.faults.set(gateway, kind, count);
    res.json({ gateway, kind, times: count });
  });

  return router;
}
