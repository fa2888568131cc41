/**
 * fubei (doc 003 + official SDKs): one endpoint, the method in a signed envelope whose
 * `biz_content` is a JSON string. Envelope sign: the seven envelope fields, skip empty, sort,
 * secret appended directly, MD5, uppercase. Errors: `{ result_code: 400, result_message, sub_code }`.
 * Responses are unsigned, as documented. As EVIDENCE.md shows: the query takes one of
 * merchant_order_sn / order_sn / trade_no and answers the Java SDK's PaymentQueryOrderModel
 * fields (`trade_state` USERPAYING / SUCCESS / REVOKED, `pay_time` unix seconds); the notify is a
 * form `result_code, result_message, data, sign`, `data` the JSON text that was signed.
 */
import { Router, type Response } from "express";
import { fenToYuanNumber, yuanNumberToFen } from "@paybridge/shared";
import { createSigner, type SignRule } from "@paybridge/server-middleware";
import type { SandboxCredentials } from "../credentials.js";
import { checkFields, parseJsonObject, type FieldTable, type JsonObject } from "../fields.js";
import { epochSeconds, gatewayOrderNumber, randomDigits, randomHex } from "../ids.js";
import { OrderBook, type SandboxOrder } from "../order-book.js";
import type { GatewaySimulator, SimulatorContext } from "../simulator.js";
import { fubeiReconciliation, RECONCILIATION_METHOD } from "./fubei-bills.js";
import { agentNotify, fubeiAgentHandler, isAgentOrder } from "./fubei-agent.js";
import { fubeiLifecycleMethod, LIFECYCLE_METHODS, namedOrder, REFUND_METHOD, REFUND_QUERY_METHOD } from "./fubei-refunds.js";

const ENVELOPE_KEYS = ["app_id", "method", "format", "sign_method", "nonce", "version", "biz_content"] as const;
const NOTIFY_RULE: SignRule = { skip: "empty", secretJoiner: "", hexCase: "upper", algorithm: "md5", signField: "sign" };
const CREATE_METHOD = "openapi.payment.order.mina";
const QUERY_METHOD = "openapi.payment.order.query";
/** Java SDK MerchantPaymentApi.orderAlipay: Alipay's own browser (ParamPaymentAlipayH5 → PaymentH5AlipayModel). */
const ALIPAY_METHOD = "openapi.payment.Alipay.H5";

const ENVELOPE_FIELDS: FieldTable = {
  app_id: { type: "string", required: true, maxLength: 32 },
  // Then refund and refund query (fubei-refunds.ts), and the reconciliation (fubei-bills.ts).
  method: { type: "string", required: true, oneOf: [CREATE_METHOD, ALIPAY_METHOD, QUERY_METHOD, REFUND_METHOD, REFUND_QUERY_METHOD, RECONCILIATION_METHOD] },
  format: { type: "string", required: true, oneOf: ["json"] },
  sign_method: { type: "string", required: true, oneOf: ["md5"] },
  nonce: { type: "string", required: true, maxLength: 64 },
  version: { type: "string", required: true, oneOf: ["1.0"] },
  biz_content: { type: "string", required: true },
  sign: { type: "string", required: true },
};

const CREATE_FIELDS: FieldTable = {
  merchant_order_sn: { type: "string", required: true, maxLength: 32, pattern: /^\S(.*\S)?$/, patternHint: "without leading or trailing spaces" },
  sub_openid: { type: "string", required: true, maxLength: 32 },
  total_fee: { type: "number", required: true, min: 0.01 },
  store_id: { type: "integer", required: true, min: 0, max: 9_999_999_999 },
  call_back_url: { type: "string", maxLength: 256 },
  body: { type: "string", maxLength: 128 },
  attach: { type: "string", maxLength: 127 },
};

const ALIPAY_FIELDS: FieldTable = {
  merchant_order_sn: CREATE_FIELDS.merchant_order_sn!,
  total_fee: CREATE_FIELDS.total_fee!,
  buyer_id: { type: "string", required: true, maxLength: 32 },
  store_id: CREATE_FIELDS.store_id!,
  call_back_url: CREATE_FIELDS.call_back_url!,
  body: CREATE_FIELDS.body!,
  attach: CREATE_FIELDS.attach!,
};

const QUERY_FIELDS: FieldTable = {
  merchant_order_sn: { type: "string", maxLength: 32 },
  order_sn: { type: "string", maxLength: 32 },
  trade_no: { type: "string", maxLength: 64 },
};

/** The SDK's words: a payment that failed ends, at fubei, as a revoked order. */
const TRADE_STATE = { pending: "USERPAYING", paid: "SUCCESS", failed: "REVOKED" } as const;

/** total_fee: a yuan number with at most 2 decimals and at most 10 characters (the doc's length). */
function readTotalFee(value: number): number | null {
  if (String(value).length > 10) return null;
  try {
    return yuanNumberToFen(value);
  } catch {
    return null;
  }
}

/** cashier_id is an int in the table but a string in the doc's own example: take either. */
function isCashierId(value: unknown): boolean {
  return value === undefined || (typeof value === "number" && Number.isSafeInteger(value)) ||
    (typeof value === "string" && /^\d{1,10}$/.test(value));
}

export function fubeiSimulator(credentials: SandboxCredentials["fubei"], context?: Pick<SimulatorContext, "refunds" | "bills">): GatewaySimulator {
  const envelopeSigner = createSigner(credentials.appSecret, { ...NOTIFY_RULE, fields: ENVELOPE_KEYS });
  const notifySigner = createSigner(credentials.appSecret, NOTIFY_RULE);
  const orders = new OrderBook();
  const router = Router();

  /** Answers the gateway's error shape; null so a reader can `return fail(...)`. */
  const fail = (res: Response, subCode: string, message: string): null => {
    res.json({ result_message: message, result_code: 400, sub_code: subCode });
    return null;
  };
  const succeed = (res: Response, data: JsonObject): null => {
    res.json({ result_message: "成功", data, result_code: 200 });
    return null;
  };

  // The service-provider endpoint (fubei-agent.ts): the same order book, its own envelope.
  router.post("/gateway/agent", fubeiAgentHandler(credentials, orders, { fail, succeed }, context?.refunds));

  router.post("/gateway", (req, res) => {
    const envelope = parseJsonObject(req.body);
    if (!envelope) return fail(res, "INVALID_REQUEST", "请求不是 JSON 对象");
    const problem = checkFields(envelope, ENVELOPE_FIELDS);
    if (problem) return fail(res, "INVALID_PARAMETER", `参数错误: ${problem.message}`);
    if (!envelopeSigner.verify(envelope, envelope.sign)) return fail(res, "INVALID_SIGN", "签名错误");
    if (envelope.app_id !== credentials.appId) return fail(res, "INVALID_APP_ID", "app_id 不存在");
    const biz = parseJsonObject(envelope.biz_content);
    if (!biz) return fail(res, "INVALID_PARAMETER", "参数错误: biz_content must be a JSON object text");
    if (LIFECYCLE_METHODS.includes(envelope.method as string) && context) {
      return fubeiLifecycleMethod(envelope.method as string, biz, res, { orders, desk: context.refunds, fail, succeed });
    }
    if (envelope.method === RECONCILIATION_METHOD && context) return fubeiReconciliation(biz, res, { bills: context.bills, storeId: credentials.storeId, fail, succeed });
    if (envelope.method === CREATE_METHOD) return create(biz, res);
    if (envelope.method === ALIPAY_METHOD) return createAlipay(biz, res);
    return query(biz, res);
  });

  function create(biz: JsonObject, res: Response): null {
    const order = admit(biz, res, CREATE_FIELDS, "wechat", biz.sub_openid as string);
    if (!order) return null;

    const prepayId = `wx${randomDigits(32)}`;
    const cashierId = order.extra.cashier_id ? Number(order.extra.cashier_id) : 0;
    const pay = {
      appId: "wx0sandbox0fubei",
      timeStamp: epochSeconds(order.createdAt),
      nonceStr: randomHex(7),
      package: `prepay_id=${prepayId}`,
      signType: "RSA",
    };
    return succeed(res, {
      prepay_id: prepayId,
      order_sn: order.gatewayOrderNo,
      merchant_order_sn: order.orderNo,
      // The doc's sign package carries extra fields of fubei's own; the adapter passes them through.
      sign_params: { ...pay, paySign: notifySigner.sign(pay), store_id: credentials.storeId, cashier_id: cashierId, user_id: "" },
      cashier_id: cashierId,
      user_id: order.openId,
    });
  }

  /** The order both create methods admit, or null after answering the refusal. */
  function admit(biz: JsonObject, res: Response, table: FieldTable, channel: "wechat" | "alipay", payer: string): SandboxOrder | null {
    const problem = checkFields(biz, table);
    if (problem) return fail(res, "INVALID_PARAMETER", `参数错误: ${problem.message}`);
    if (!isCashierId(biz.cashier_id)) return fail(res, "INVALID_PARAMETER", "参数错误: cashier_id must be of type int");
    const amountFen = readTotalFee(biz.total_fee as number);
    if (amountFen === null) return fail(res, "INVALID_PARAMETER", "参数错误: total_fee must be yuan with at most 2 decimals");
    if (biz.store_id !== credentials.storeId) return fail(res, "INVALID_STORE", "门店不存在: store_id");
    const order = orders.admit({
      orderNo: biz.merchant_order_sn as string,
      gatewayOrderNo: gatewayOrderNumber("", 20),
      amountFen,
      channel,
      notifyUrl: (biz.call_back_url as string | undefined) || undefined,
      attach: (biz.attach as string | undefined) || undefined,
      openId: payer,
      status: "pending",
      createdAt: new Date(),
      extra: {
        cashier_id: biz.cashier_id === undefined ? "" : String(biz.cashier_id),
        body: typeof biz.body === "string" ? biz.body : "",
        trade_no: channel === "alipay" ? `2023${randomDigits(24)}` : `4200000${randomDigits(21)}`,
      },
    });
    if (!order) return fail(res, "ORDER_EXISTS", "订单号重复: merchant_order_sn");
    return order;
  }

  function createAlipay(biz: JsonObject, res: Response): null {
    const order = admit(biz, res, ALIPAY_FIELDS, "alipay", String(biz.buyer_id ?? ""));
    if (!order) return null;
    return succeed(res, {
      order_sn: order.gatewayOrderNo,
      // Alipay's trade number, which the payer's AlipayJSBridge tradePay takes.
      prepay_id: order.extra.trade_no,
      store_id: credentials.storeId,
      cashier_id: order.extra.cashier_id ? Number(order.extra.cashier_id) : 0,
      user_id: order.openId,
      user_logon_id: "",
    });
  }

  function query(biz: JsonObject, res: Response): null {
    const problem = checkFields(biz, QUERY_FIELDS);
    if (problem) return fail(res, "INVALID_PARAMETER", `参数错误: ${problem.message}`);
    if (!biz.merchant_order_sn && !biz.order_sn && !biz.trade_no) {
      return fail(res, "INVALID_PARAMETER", "参数错误: one of merchant_order_sn, order_sn, trade_no is required");
    }
    const order = namedOrder(orders, biz);
    if (!order) return fail(res, "ORDER_NOT_EXIST", "订单不存在");
    return succeed(res, queryFields(order, credentials.storeId));
  }

  return {
    id: "fubei",
    router,
    orders,
    notify(order) {
      if (isAgentOrder(order)) return agentNotify(order, credentials);
      const fields = { result_code: "200", result_message: "成功", data: JSON.stringify(notifyData(order, credentials.storeId)) };
      return { contentType: "application/x-www-form-urlencoded", body: new URLSearchParams({ ...fields, sign: notifySigner.sign(fields) }).toString() };
    },
    isAcknowledged: (answer) => answer.status < 300 && answer.body.trim().toLowerCase() === "success",
  };
}

/** pay_time: unix seconds once paid, 0 before (*assumed*: the SDK says Integer, no more). */
function payTime(order: SandboxOrder): number {
  return order.status === "paid" && order.completedAt ? Number(epochSeconds(order.completedAt)) : 0;
}

/** The query's data: every field of the Java SDK's PaymentQueryOrderModel. */
function queryFields(order: SandboxOrder, storeId: number): JsonObject {
  const totalFee = fenToYuanNumber(order.amountFen);
  return {
    merchant_order_sn: order.orderNo,
    order_sn: order.gatewayOrderNo,
    trade_no: order.extra.trade_no,
    trade_state: TRADE_STATE[order.status],
    total_fee: totalFee,
    fee: 0,
    net_money: totalFee,
    pay_time: payTime(order),
    store_id: storeId,
    cashier_id: order.extra.cashier_id ? Number(order.extra.cashier_id) : 0,
    device_no: "",
    body: order.extra.body ?? "",
    type: order.channel === "alipay" ? 2 : 1,
    discount_money: 0,
    buyer_pay_amount: totalFee,
    attach: order.attach ?? "",
    user_id: order.openId ?? "",
    user_logon_id: "",
  };
}

/** The notify's data: the fields the public handlers read, with the query's state and time. */
function notifyData(order: SandboxOrder, storeId: number): JsonObject {
  return {
    merchant_order_sn: order.orderNo,
    order_sn: order.gatewayOrderNo,
    trade_no: order.extra.trade_no,
    trade_state: TRADE_STATE[order.status],
    total_fee: fenToYuanNumber(order.amountFen),
    pay_time: payTime(order),
    store_id: storeId,
    attach: order.attach ?? "",
  };
}
