/**
 * vbao (showdoc chinavbao, doc 004, EVIDENCE.md): server calls are `{ customerNo, reqmsg }`;
 * reqmsg is the business JSON with its own MD5 `sign` (common rule, upper-case, `key`),
 * RSA-encrypted with the sandbox's public key, which the sandbox decrypts with its private key
 * (a public, test-only pair in credentials.ts). Answers are `{ code, msg, data }` with `data`
 * encrypted by the private key. Create `/api/vborder/qrorder/standard/create` (`orderNo`,
 * `orderAmount` in fen), query `/api/vborder/order/standard/qrcodeQuery` (`payStatus`). The
 * documented in-mini-program step is served, in plain JSON, at the interfaceUrl handed out by
 * the create. Notifies carry `customerNo` and are signed like reqmsg; the reply must be `OK`.
 * Errors: `{ code: "400", msg }`. Names no source shows (payType, vbOrderNo, launchUrl,
 * payTime, the payStatus words) are the adapter's documented assumptions, mirrored here.
 */
import { Router, type Request, type Response } from "express";
import { MAX_FEN, type Channel } from "@paybridge/shared";
import { createSigner, COMMON_SIGN_RULE, type Signer } from "@paybridge/server-middleware";
import { sandboxDecrypt, sandboxEncrypt, sandboxPrivateKey } from "../rsa.js";
import type { SandboxCredentials } from "../credentials.js";
import { checkFields, parseJsonObject, type FieldTable, type JsonObject } from "../fields.js";
import { dashedTime, epochSeconds, gatewayOrderNumber, randomDigits, randomHex } from "../ids.js";
import { OrderBook, type SandboxOrder } from "../order-book.js";
import type { RefundDesk, SandboxRefund } from "../refund-desk.js";
import { pageUrl, type GatewaySimulator, type NotifyMessage, type SimulatorContext } from "../simulator.js";
import { vbaoBillRoute } from "./vbao-bills.js";

const PAY_TYPE_CHANNEL: Record<string, Channel> = { WECHAT: "wechat", ALIPAY: "alipay" };
const INTERFACE_PATH = "/api/vborder/order/standard/miniPay";

const ENVELOPE_FIELDS: FieldTable = {
  customerNo: { type: "string", required: true, maxLength: 32 },
  reqmsg: { type: "string", required: true },
};

/** reqmsg's own signature: 32 upper-case hex (基本规则). */
const SIGN_FIELD: FieldTable = { sign: { type: "string", required: true, pattern: /^[0-9A-F]{32}$/, patternHint: "32 upper-case hex" } };

// 统一下单 8056742246907403; payType and notifyUrl are the adapter's assumptions.
const CREATE_FIELDS: FieldTable = {
  ...SIGN_FIELD,
  orderNo: { type: "string", required: true, maxLength: 64 },
  orderAmount: { type: "integer", required: true, min: 1, max: MAX_FEN },
  orgCode: { type: "string", maxLength: 64 },
  paymentNos: { type: "string", maxLength: 1024 },
  insurAmount: { type: "integer", min: 0, max: MAX_FEN },
  payType: { type: "string", oneOf: Object.keys(PAY_TYPE_CHANNEL) },
  notifyUrl: { type: "string", maxLength: 256 },
};

const QUERY_FIELDS: FieldTable = {
  ...SIGN_FIELD,
  orderNo: { type: "string", required: true, maxLength: 64 },
};

// The documented request of the in-mini-program step.
const INTERFACE_FIELDS: FieldTable = {
  payInfo: { type: "string", required: true, maxLength: 1024 },
  code: { type: "string", maxLength: 64 },
  identifyId: { type: "string", maxLength: 64 },
};

export function vbaoSimulator(credentials: SandboxCredentials["vbao"], context: SimulatorContext): GatewaySimulator {
  const signer = createSigner(credentials.key, COMMON_SIGN_RULE);
  const privateKey = sandboxPrivateKey(credentials.privateKey);
  const orders = new OrderBook();
  const router = Router();

  /** Answers the gateway's error shape; null so a reader can `return fail(...)`. */
  const fail = (res: Response, msg: string): null => {
    res.json({ msg, code: "400" });
    return null;
  };
  /** The in-mini-program step answers in plain JSON (document 004). */
  const succeed = (res: Response, data: JsonObject): null => {
    res.json({ code: "200", msg: "操作成功", data });
    return null;
  };
  /** The server API encrypts `data` with the private key. */
  const succeedEncrypted = (res: Response, data: JsonObject): null => {
    res.json({ code: "200", msg: "操作成功", data: sandboxEncrypt(privateKey, JSON.stringify(data)) });
    return null;
  };

  /** Reads `{ customerNo, reqmsg }` and the fields of reqmsg; answers the error itself. */
  function readRequest(req: Request, res: Response, table: FieldTable): JsonObject | null {
    const envelope = parseJsonObject(req.body);
    if (!envelope) return fail(res, "请求不是 JSON 对象");
    const problem = checkFields(envelope, ENVELOPE_FIELDS);
    if (problem) return fail(res, `参数错误: ${problem.message}`);
    if (envelope.customerNo !== credentials.customerNo) return fail(res, "商户不存在: customerNo");
    let plain: string;
    try {
      plain = sandboxDecrypt(privateKey, envelope.reqmsg as string);
    } catch {
      return fail(res, "reqmsg 解密失败");
    }
    const message = parseJsonObject(plain);
    if (!message) return fail(res, "reqmsg 不是 JSON 对象");
    const fieldProblem = checkFields(message, table);
    if (fieldProblem) return fail(res, `参数错误: ${fieldProblem.message}`);
    if (!signer.verify(message, message.sign)) return fail(res, "签名错误: sign");
    return message;
  }

  router.post("/api/vborder/qrorder/standard/create", (req, res) => {
    const message = readRequest(req, res, CREATE_FIELDS);
    if (!message) return;
    const submitted: SandboxOrder = {
      orderNo: message.orderNo as string,
      gatewayOrderNo: gatewayOrderNumber("VB", 30),
      amountFen: message.orderAmount as number,
      channel: PAY_TYPE_CHANNEL[(message.payType as string | undefined) ?? "WECHAT"] as Channel,
      notifyUrl: (message.notifyUrl as string | undefined) || undefined,
      status: "pending",
      createdAt: new Date(),
      extra: { payInfo: `PI${randomHex(24)}`, payStatus: "WAIT" },
    };
    const order = orders.admit(submitted);
    if (!order) return fail(res, "订单号重复: orderNo");
    const sandboxUrl = context.sandboxUrl(req);
    const interfaceUrl = `${sandboxUrl}/vbao${INTERFACE_PATH}`;
    const launch = new URLSearchParams({ interfaceUrl, payInfo: order.extra.payInfo as string });
    succeedEncrypted(res, {
      orderNo: order.orderNo,
      vbOrderNo: order.gatewayOrderNo,
      payInfo: order.extra.payInfo,
      interfaceUrl,
      launchUrl: `${pageUrl(sandboxUrl, "vbao", order.gatewayOrderNo)}?${launch.toString()}`,
    });
  });

  router.post(INTERFACE_PATH, (req, res) => {
    const body = parseJsonObject(req.body);
    if (!body) return fail(res, "请求不是 JSON 对象");
    const problem = checkFields(body, INTERFACE_FIELDS);
    if (problem) return fail(res, `参数错误: ${problem.message}`);
    if (!body.code && !body.identifyId) return fail(res, "参数错误: code 与 identifyId 上送其一");
    const order = orders.find((candidate) => candidate.extra.payInfo === body.payInfo);
    if (!order) return fail(res, "payInfo 无效");
    if (order.status === "paid") return fail(res, "订单已支付成功");
    if (order.status === "failed") return fail(res, "订单已关闭");
    order.openId = (body.identifyId as string | undefined) ?? `o${randomHex(14)}`;
    order.extra.payStatus = "PAYING";
    if (order.channel === "alipay") return succeed(res, { tradeNo: `2022${randomDigits(24)}`, codeUrl: null });
    const pay = {
      appId: "wx0sandbox0vbao",
      timeStamp: epochSeconds(new Date()),
      nonceStr: randomHex(16),
      signType: "RSA",
      package: `prepay_id=wx${randomDigits(28)}`,
    };
    succeed(res, { ...pay, paySign: Buffer.from(signer.sign(pay)).toString("base64"), codeUrl: null });
  });

  router.post("/api/vborder/order/standard/qrcodeQuery", (req, res) => {
    const message = readRequest(req, res, QUERY_FIELDS);
    if (!message) return;
    const order = orders.byOrderNo(message.orderNo as string);
    if (!order) return fail(res, "订单不存在");
    succeedEncrypted(res, {
      customerNo: credentials.customerNo,
      orderNo: order.orderNo,
      vbOrderNo: order.gatewayOrderNo,
      orderAmount: order.amountFen,
      payStatus: payStatus(order),
      ...(order.status === "paid" && order.completedAt ? { payTime: dashedTime(order.completedAt) } : {}),
    });
  });

  // Refund request (the adapter's assumption) and refund notify: the block at the end of this file.
  vbaoLifecycleRoutes({ router, orders, desk: context.refunds, customerNo: credentials.customerNo, readRequest, fail, succeedEncrypted });
  // The bill file download (vbao-bills.ts).
  vbaoBillRoute({ router, bills: context.bills, customerNo: credentials.customerNo, readRequest, fail });

  return {
    id: "vbao",
    refundNotify: (order, refund) => vbaoRefundNotify(order, refund, credentials.customerNo, signer),
    router,
    orders,
    notify(order) {
      // 异步通知 names customerNo, orderNo, goodNo, goodName (the sandbox's goods are a stand-in).
      const fields = {
        customerNo: credentials.customerNo,
        orderNo: order.orderNo,
        goodNo: "SANDBOX-GOOD",
        goodName: "sandbox order",
        vbOrderNo: order.gatewayOrderNo,
        orderAmount: order.amountFen,
        payStatus: payStatus(order),
        payTime: dashedTime(order.completedAt ?? order.createdAt),
      };
      return { contentType: "application/json", body: JSON.stringify({ ...fields, sign: signer.sign(fields) }) };
    },
    isAcknowledged: (answer) => answer.status < 300 && answer.body.trim() === "OK",
  };
}

function payStatus(order: SandboxOrder): string {
  if (order.status === "paid") return "SUCCESS";
  if (order.status === "failed") return "FAIL";
  return order.extra.payStatus ?? "WAIT";
}

// ─── Refund request and refund notify (issue 12; refunds branch) ────────────────────────────
// The refund notify as EVIDENCE.md lists it (customerNo, refOrderNo, orderNo = the refund
// number, refundAmount in fen, refundTime, refundStatus), signed like the payment notify; the
// refund request is the adapter's *assumption* (`/api/vborder/order/standard/refund`), mirrored.

const REFUND_PATH = "/api/vborder/order/standard/refund";
const REFUND_FIELDS: FieldTable = {
  ...SIGN_FIELD,
  refOrderNo: { type: "string", required: true, maxLength: 64 },
  orderNo: { type: "string", required: true, maxLength: 64 },
  refundAmount: { type: "integer", required: true, min: 1, max: MAX_FEN },
  notifyUrl: { type: "string", maxLength: 256 },
};
const REFUND_WORDS = { succeeded: "SUCCESS", processing: "PROCESSING", failed: "FAIL" } as const;

interface VbaoLifecycleContext {
  router: Router;
  orders: OrderBook;
  desk: RefundDesk;
  customerNo: string;
  readRequest(req: Request, res: Response, table: FieldTable): JsonObject | null;
  fail(res: Response, msg: string): null;
  succeedEncrypted(res: Response, data: JsonObject): null;
}

function vbaoLifecycleRoutes(ctx: VbaoLifecycleContext): void {
  ctx.router.post(REFUND_PATH, (req, res) => {
    const message = ctx.readRequest(req, res, REFUND_FIELDS);
    if (!message) return;
    const order = ctx.orders.byOrderNo(message.refOrderNo as string);
    if (!order) return ctx.fail(res, "订单不存在");
    const decision = ctx.desk.refund("vbao", order, message.orderNo as string, message.refundAmount as number);
    if ("refused" in decision) return ctx.fail(res, `退款失败: ${decision.refused}`);
    ctx.succeedEncrypted(res, {
      customerNo: ctx.customerNo,
      refOrderNo: order.orderNo,
      orderNo: decision.refund.refundNo,
      refundAmount: decision.refund.amountFen,
      refundStatus: REFUND_WORDS[decision.refund.status],
    });
  });
}

/** The signed refund notify of a finished refund. */
function vbaoRefundNotify(order: SandboxOrder, refund: SandboxRefund, customerNo: string, signer: Signer): NotifyMessage {
  const fields = {
    customerNo,
    refOrderNo: order.orderNo,
    orderNo: refund.refundNo,
    refundAmount: String(refund.amountFen),
    refundTime: dashedTime(new Date()),
    refundStatus: REFUND_WORDS[refund.status],
  };
  return { contentType: "application/json", body: JSON.stringify({ ...fields, sign: signer.sign(fields) }) };
}
