/** The sandbox's refund desk: a real gateway's refund rules, and the control routes that set outcomes. */
import express from "express";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { createSandbox } from "../src/index.js";
import type { SandboxOrder } from "../src/order-book.js";
import { RefundDesk } from "../src/refund-desk.js";

const order = (status: SandboxOrder["status"] = "paid"): SandboxOrder => ({
  orderNo: "O1",
  gatewayOrderNo: "G1",
  amountFen: 100,
  channel: "wechat",
  status,
  createdAt: new Date(),
  extra: {},
});

describe("RefundDesk", () => {
  it("refunds only a paid order, never past its amount; a refund number is one refund", () => {
    const desk = new RefundDesk();
    expect(desk.refund("xiangma", order("pending"), "R0", 1)).toEqual({ refused: "order is not paid" });
    const paid = order();
    const first = desk.refund("xiangma", paid, "R1", 60);
    expect(first).toMatchObject({ refund: { refundNo: "R1", amountFen: 60, status: "succeeded" } });
    expect(desk.refund("xiangma", paid, "R1", 60)).toEqual(first);
    expect(desk.refund("xiangma", paid, "R1", 61)).toEqual({ refused: "refund number already used for another amount" });
    expect(desk.refund("xiangma", paid, "R2", 41)).toEqual({ refused: "refund amount exceeds what is left of the order" });
    expect(desk.refund("xiangma", paid, "R2", 40)).toMatchObject({ refund: { status: "succeeded" } });
  });

  it("applies a set outcome to the next refunds, and a failed refund frees its amount", () => {
    const desk = new RefundDesk();
    const paid = order();
    desk.setOutcome("fubei", "failed", 1);
    expect(desk.refund("fubei", paid, "R1", 100)).toMatchObject({ refund: { status: "failed" } });
    desk.setOutcome("fubei", "processing", 1);
    expect(desk.refund("fubei", paid, "R2", 100)).toMatchObject({ refund: { status: "processing" } });
    expect(desk.complete("fubei", "R2", "succeeded")).toMatchObject({ refund: { status: "succeeded" } });
    expect(desk.complete("fubei", "R9", "succeeded")).toBeNull();
  });

  it("closes only an unpaid order", () => {
    const desk = new RefundDesk();
    expect(desk.close(order())).toBe("order is paid");
    const pending = order("pending");
    expect(desk.close(pending)).toBeNull();
    expect(pending.status).toBe("failed");
  });
});

describe("refund control routes", () => {
  const sandbox = createSandbox();
  const api = request(express().use("/sandbox", sandbox));

  it("validates refund-outcome and complete-refund", async () => {
    await api.post("/sandbox/control/refund-outcome").send({ gateway: "xiangma", outcome: "processing", times: 2 }).expect(200, { gateway: "xiangma", outcome: "processing", times: 2 });
    await api.post("/sandbox/control/refund-outcome").send({ gateway: "paypal", outcome: "failed" }).expect(400);
    await api.post("/sandbox/control/refund-outcome").send({ gateway: "xiangma", outcome: "maybe" }).expect(400);
    await api.post("/sandbox/control/refund-outcome").send({ gateway: "xiangma", outcome: "failed", times: 0 }).expect(400);
    await api.post("/sandbox/control/complete-refund").send({ gateway: "xiangma", refundNo: "nope", outcome: "succeeded" }).expect(404);
    await api.post("/sandbox/control/complete-refund").send({ gateway: "xiangma", refundNo: "nope", outcome: "processing" }).expect(400);
    sandbox.close();
  });
});
