// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { createPayClient } from "@paybridge/client";
import { clearPendingOrder } from "../src/pending-order.js";
import { createdOrder, ENDPOINT, fakeServer, orderStatus, ok, UA } from "./fakes.js";

const redirectOrder = createdOrder({ type: "redirect", url: "https://gateway.test/page/G-1" }, { channel: "unionpay", gateway: "upaas" });
const inUnionPay = { navigator: { userAgent: UA.unionpay }, document };

beforeEach(() => {
  clearPendingOrder();
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe("redirect", () => {
  test("saves the order, leaves for the payment page, and resume() on the return page confirms it", async () => {
    const server = fakeServer(ok(redirectOrder, 201), [orderStatus("paid")]);
    const navigate = vi.fn();
    const payPage = createPayClient({ endpoint: ENDPOINT, fetch: server.fetch, globals: inUnionPay, navigate });
    await expect(payPage.pay({ orderNo: "A1" })).resolves.toEqual({ status: "pending", orderNo: "A1", channel: "unionpay" });
    expect(navigate).toHaveBeenCalledWith("https://gateway.test/page/G-1");
    expect(server.requests[0]!.body).toEqual({ orderNo: "A1", channel: "unionpay", scene: "h5" });
    expect(JSON.parse(sessionStorage.getItem("paybridge:pending")!)).toEqual({ orderNo: "A1", statusToken: "token-A1", channel: "unionpay", savedAt: expect.any(Number) });

    // The return page is a new page with a new client: only sessionStorage carries the order.
    const returnPage = createPayClient({ endpoint: ENDPOINT, fetch: server.fetch, globals: inUnionPay });
    const paid = vi.fn();
    returnPage.on("paid", paid);
    await expect(returnPage.resume()).resolves.toEqual({ status: "paid", orderNo: "A1", channel: "unionpay" });
    expect(server.statusRequests()[0]!.headers["x-paybridge-token"]).toBe("token-A1");
    expect(paid).toHaveBeenCalledOnce();
    expect(sessionStorage.getItem("paybridge:pending")).toBeNull();
    await expect(returnPage.resume()).resolves.toBeNull();
  });

  test("resume() resolves null when nothing is pending, without asking the server", async () => {
    const server = fakeServer(ok(redirectOrder, 201));
    await expect(createPayClient({ endpoint: ENDPOINT, fetch: server.fetch }).resume()).resolves.toBeNull();
    expect(server.requests).toHaveLength(0);
  });

  test("resume() keeps a still-pending order for a later try, and drops a closed one", async () => {
    vi.useFakeTimers();
    sessionStorage.setItem("paybridge:pending", JSON.stringify({ orderNo: "A1", statusToken: "token-A1", channel: "unionpay", savedAt: Date.now() }));
    const stillPending = createPayClient({ endpoint: ENDPOINT, fetch: fakeServer(ok(redirectOrder), [orderStatus("pending")]).fetch, confirmTimeoutMs: 2_000 });
    const resumed = stillPending.resume();
    await vi.advanceTimersByTimeAsync(2_000);
    await expect(resumed).resolves.toMatchObject({ status: "pending" });
    expect(sessionStorage.getItem("paybridge:pending")).not.toBeNull();

    const closed = createPayClient({ endpoint: ENDPOINT, fetch: fakeServer(ok(redirectOrder), [orderStatus("closed")]).fetch });
    await expect(closed.resume()).rejects.toMatchObject({ code: "order_closed" });
    expect(sessionStorage.getItem("paybridge:pending")).toBeNull();
  });

  test("a saved order older than 30 minutes is not resumed (and is forgotten); one just under is", async () => {
    vi.useFakeTimers();
    const server = fakeServer(ok(redirectOrder), [orderStatus("paid")]);
    const save = (ageMs: number) =>
      sessionStorage.setItem("paybridge:pending", JSON.stringify({ orderNo: "A1", statusToken: "token-A1", channel: "unionpay", savedAt: Date.now() - ageMs }));
    save(30 * 60 * 1000 + 1);
    await expect(createPayClient({ endpoint: ENDPOINT, fetch: server.fetch }).resume()).resolves.toBeNull();
    expect(sessionStorage.getItem("paybridge:pending")).toBeNull();
    expect(server.statusRequests()).toHaveLength(0);
    save(29 * 60 * 1000);
    await expect(createPayClient({ endpoint: ENDPOINT, fetch: server.fetch }).resume()).resolves.toMatchObject({ status: "paid" });
  });

  test("pay() takes over from a running resume(): it starts at once, the resume resolves pending, the saved order is forgotten", async () => {
    vi.useFakeTimers();
    sessionStorage.setItem("paybridge:pending", JSON.stringify({ orderNo: "OLD-1", statusToken: "token-old", channel: "unionpay", savedAt: Date.now() }));
    const server = fakeServer(ok(redirectOrder, 201), [orderStatus("pending")]);
    const navigate = vi.fn();
    const client = createPayClient({ endpoint: ENDPOINT, fetch: server.fetch, globals: inUnionPay, navigate, confirmTimeoutMs: 60_000 });
    const resumed = client.resume();
    await vi.advanceTimersByTimeAsync(600);
    const paying = client.pay({ orderNo: "A1" });
    await vi.advanceTimersByTimeAsync(3_100);
    await expect(paying).resolves.toMatchObject({ status: "pending", orderNo: "A1" });
    expect(navigate).toHaveBeenCalledWith("https://gateway.test/page/G-1");
    await expect(resumed).resolves.toMatchObject({ status: "pending", orderNo: "OLD-1" });
    // the new redirect saved its own order; the old one is gone
    expect(JSON.parse(sessionStorage.getItem("paybridge:pending")!)).toMatchObject({ orderNo: "A1" });
  });

  test("when sessionStorage throws (Safari private mode) pay() still redirects and this page can still resume", async () => {
    vi.spyOn(Storage.prototype, "setItem").mockImplementation(() => {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    });
    const server = fakeServer(ok(redirectOrder, 201), [orderStatus("paid")]);
    const navigate = vi.fn();
    const client = createPayClient({ endpoint: ENDPOINT, fetch: server.fetch, globals: inUnionPay, navigate });
    await expect(client.pay({ orderNo: "A1" })).resolves.toMatchObject({ status: "pending" });
    expect(navigate).toHaveBeenCalledOnce();
    await expect(client.resume()).resolves.toMatchObject({ status: "paid", orderNo: "A1" });
  });

  test("when reading sessionStorage throws, resume() falls back instead of failing", async () => {
    vi.spyOn(Storage.prototype, "getItem").mockImplementation(() => {
      throw new DOMException("The operation is insecure.", "SecurityError");
    });
    await expect(createPayClient({ endpoint: ENDPOINT, fetch: fakeServer(ok(redirectOrder)).fetch }).resume()).resolves.toBeNull();
  });
});
