/**
 * The mini-program pay page against a fake `wx`: its wx.request answers as a paybridge server
 * (and as a gateway's launch interface) would, wx.requestPayment as the wallet would. The page
 * must send no amount, launch payment with the server's parameters, and show "paid" only when
 * the server confirms it.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";

const ENDPOINT = "https://shop.example.com/pay";
const INTERFACE_URL = "https://gateway.example.com/api/mini/pay";
const WECHAT_PARAMS = {
  appId: "wx0000000000000001",
  timeStamp: "1702607213",
  nonceStr: "c3061f1abc464c07a546f700462e2806",
  package: "prepay_id=wx1510265335316554332c81b6f24af40000",
  signType: "RSA",
  paySign: "t/yJ3wmOgnDynaucpR==",
};

interface WxRequest {
  url: string;
  method: string;
  data?: unknown;
  header: Record<string, string>;
  success(result: { statusCode: number; data: unknown }): void;
  fail(error: { errMsg: string }): void;
}
interface WxCallbacks {
  success(result: unknown): void;
  fail(error: { errMsg: string }): void;
}
type Answer = { statusCode: number; data: unknown };
type Wallet = "ok" | "cancel";

/** A stand-in for the paybridge server: pending until the wallet pays, then paid (as a notify would make it). */
function fakeServer(orderNo: string) {
  let paid = false;
  const posted: unknown[] = [];
  return {
    posted,
    markPaid: () => void (paid = true),
    answer(request: WxRequest): Answer {
      if (request.method === "POST" && request.url === `${ENDPOINT}/orders`) {
        posted.push(request.data);
        if ((request.data as { orderNo?: string }).orderNo !== orderNo) {
          return { statusCode: 404, data: { error: { code: "order_not_found", message: "no such order" } } };
        }
        return {
          statusCode: 201,
          data: { orderNo, status: "pending", gateway: "fubei", gatewayOrderNo: "G1", amountFen: 1, channel: "wechat", action: { type: "wechat", params: WECHAT_PARAMS }, statusToken: "T1" },
        };
      }
      const tokenHeader = request.header["x-paybridge-token"];
      if (request.method === "GET" && request.url.startsWith(`${ENDPOINT}/orders/${orderNo}`) && tokenHeader === "T1") {
        return { statusCode: 200, data: { orderNo, status: paid ? "paid" : "pending", amountFen: 1 } };
      }
      return { statusCode: 404, data: { error: { code: "order_not_found", message: request.url } } };
    },
  };
}

function fakeWx(options: { answer(request: WxRequest): Answer; wallet: Wallet; onPaid?: () => void }) {
  const calls = { requests: [] as WxRequest[], payments: [] as Record<string, unknown>[], logins: 0 };
  const wx = {
    request(request: WxRequest) {
      calls.requests.push(request);
      setTimeout(() => request.success(options.answer(request)));
    },
    login({ success }: WxCallbacks) {
      calls.logins += 1;
      setTimeout(() => success({ code: "0e1OCv1w3SXUT13aMD0w3ZASFJ3OCv1c" }));
    },
    requestPayment({ success, fail, complete: _complete, ...params }: WxCallbacks & Record<string, unknown>) {
      calls.payments.push(params);
      setTimeout(() => {
        if (options.wallet === "cancel") return fail({ errMsg: "requestPayment:fail cancel" });
        options.onPaid?.();
        success({ errMsg: "requestPayment:ok" });
      });
    },
  };
  return { wx, calls };
}

interface PageInstance {
  data: { mode: string; orderNo: string; status: string; message: string; busy: boolean };
  onLoad(query: Record<string, string>): Promise<void> | undefined;
  onPay(): Promise<void>;
}

let definition: Record<string, unknown>;
const globals = globalThis as Record<string, unknown>;

beforeAll(async () => {
  globals.Page = (page: Record<string, unknown>) => void (definition = page);
  await import("../pages/pay/index.js");
});

afterEach(() => {
  delete globals.wx;
});

/** What the mini-program runtime does when the page opens: a fresh instance whose setData merges. */
function openPage(wx: unknown, query: Record<string, string>): { page: PageInstance; loaded: Promise<void> | undefined } {
  globals.wx = wx;
  const page = {
    ...definition,
    data: { ...(definition.data as PageInstance["data"]) },
    setData(this: { data: PageInstance["data"] }, patch: Partial<PageInstance["data"]>) {
      Object.assign(this.data, patch);
    },
  } as unknown as PageInstance;
  return { page, loaded: page.onLoad(query) };
}

describe("mini-program pay page: pay({ orderNo }) over wx.request", () => {
  it("posts only the order number, pays with the server's parameters, and shows paid once the server confirms", async () => {
    const server = fakeServer("A-100");
    const { wx, calls } = fakeWx({ answer: (request) => server.answer(request), wallet: "ok", onPaid: server.markPaid });
    const { page } = openPage(wx, { orderNo: "A-100" });

    await page.onPay();

    expect(server.posted).toEqual([{ orderNo: "A-100", channel: "wechat", scene: "mini" }]);
    expect(calls.payments).toEqual([WECHAT_PARAMS]);
    expect(calls.requests.some((request) => request.method === "GET")).toBe(true);
    expect(page.data).toMatchObject({ status: "paid", busy: false });
  });

  it("shows cancelled when the payer closes the wallet", async () => {
    const server = fakeServer("A-7");
    const { wx } = fakeWx({ answer: (request) => server.answer(request), wallet: "cancel" });
    const { page } = openPage(wx, { orderNo: "A-7" });

    await page.onPay();

    expect(page.data).toMatchObject({ status: "cancelled", message: "" });
  });

  it("shows the server's error and launches nothing for an unknown order", async () => {
    const server = fakeServer("A-1");
    const { wx, calls } = fakeWx({ answer: (request) => server.answer(request), wallet: "ok" });
    const { page } = openPage(wx, { orderNo: "NOPE-1" });

    await page.onPay();

    expect(calls.payments).toEqual([]);
    expect(page.data).toMatchObject({ status: "error", message: "order_not_found: no such order" });
  });
});

describe("mini-program pay page: the gateway's launch flow (interfaceUrl + payInfo)", () => {
  const launchQuery = { interfaceUrl: encodeURIComponent(INTERFACE_URL), payInfo: encodeURIComponent("PI=abc&n=1") };

  it("posts payInfo with a wx.login code to the interface and pays with what it answers", async () => {
    const { wx, calls } = fakeWx({
      answer: (request) =>
        request.url === INTERFACE_URL ? { statusCode: 200, data: { code: "200", msg: "操作成功", data: { ...WECHAT_PARAMS, codeUrl: null } } } : { statusCode: 404, data: {} },
      wallet: "ok",
    });
    const { page, loaded } = openPage(wx, launchQuery);
    await loaded;

    expect(calls.logins).toBe(1);
    expect(calls.requests.map((request) => [request.method, request.url, request.data])).toEqual([
      ["POST", INTERFACE_URL, { payInfo: "PI=abc&n=1", code: "0e1OCv1w3SXUT13aMD0w3ZASFJ3OCv1c" }],
    ]);
    expect(calls.payments).toHaveLength(1);
    expect(calls.payments[0]).toMatchObject(WECHAT_PARAMS);
    // Only the opener holds the status token, so a wallet "ok" stays unconfirmed here.
    expect(page.data).toMatchObject({ mode: "launch", status: "pending", busy: false });
  });

  it("shows the interface's refusal (e.g. already paid) without launching payment", async () => {
    const { wx, calls } = fakeWx({ answer: () => ({ statusCode: 200, data: { code: "400", msg: "订单已支付成功" } }), wallet: "ok" });
    const { page, loaded } = openPage(wx, launchQuery);
    await loaded;

    expect(calls.payments).toEqual([]);
    expect(page.data).toMatchObject({ status: "error", message: "gateway_error: 订单已支付成功" });
  });
});
