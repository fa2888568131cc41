/**
 * xiangma (doc 002 + official guide, EVIDENCE.md): h5pay and queryorder, JSON, on both the
 * production paths (`/openpay/v3/h5pay`, `/xypay/v3/queryorder`) and the test host's (`/api/…`).
 * Everything, errors included, is signed: skip `sign` and null (empty strings ARE signed),
 * `&key=`, MD5, lowercase. Errors: `{ return_code: "FAIL", return_msg, sign }`.
 * With an open_id a WeChat request gets the JSAPI fields (`packages`, millisecond `timeStamp`,
 * as the doc warns some systems send) and an Alipay one `ali_trade_no`; otherwise `code_url`.
 * The query takes its own `query_trace_no` (unique per request: a reused one is refused) and the
 * create answer's `trade_no`, and echoes both; the notify is JSON with `end_time` as the
 * evidence shows it (`2019-07-20 12:36:27.0`).
 */
import { Router, type Request, type Response } from "express";
import { fenStringToFen, type Channel } from "@paybridge/shared";
import { createSigner } from "@paybridge/server-middleware";
import type { SandboxCredentials } from "../credentials.js";
import { checkFields, parseJsonObject, type FieldTable, type JsonObject } from "../fields.js";
import { compactTime, dashedTime, gatewayOrderNumber, randomDigits, randomHex } from "../ids.js";
import { OrderBook, type SandboxOrder } from "../order-book.js";
import type { RefundDesk, SandboxRefund } from "../refund-desk.js";
import { pageUrl, type GatewaySimulator, type SimulatorContext } from "../simulator.js";

const PAY_TYPE_CHANNEL: Record<string, Channel> = { "300": "alipay", "400": "wechat", "600": "unionpay" };

const CREATE_FIELDS: FieldTable = {
  inst_no: { type: "string", required: true, maxLength: 32 },
  mch_no: { type: "string", required: true, maxLength: 32 },
  pay_type: { type: "string", required: true, oneOf: Object.keys(PAY_TYPE_CHANNEL) },
  pay_trace_no: { type: "string", required: true, maxLength: 32 },
  pay_time: { type: "string", required: true, pattern: /^\d{14}$/, patternHint: "yyyyMMddHHmmss" },
  total_amount: { type: "string", required: true, pattern: /^[1-9]\d{0,9}$/, patternHint: "an amount of fen as a digit string" },
  open_id: { type: "string", maxLength: 128 },
  notify_url: { type: "string", maxLength: 256 },
  attach: { type: "string", maxLength: 128 },
  sign: { type: "string", required: true },
};

const QUERY_FIELDS: FieldTable = {
  inst_no: { type: "string", required: true, maxLength: 32 },
  mch_no: { type: "string", required: true, maxLength: 32 },
  query_trace_no: { type: "string", required: true, maxLength: 64 },
  trade_no: { type: "string", required: true, maxLength: 32 },
  sign: { type: "string", required: true },
};

const RESULT = { pending: "PAY_IN_PROCESS", paid: "PAY_SUCCESS", failed: "PAY_FAIL" } as const;

/** A real calendar time: 20230230120000 is refused. */
function isCompactTime(text: string): boolean {
  const [y, mo, d, h, mi, s] = [0, 4, 6, 8, 10, 12].map((at, i) => Number(text.slice(at, i === 0 ? 4 : at + 2)));
  const date = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo! - 1 && date.getUTCDate() === d &&
    date.getUTCHours() === h && date.getUTCMinutes() === mi && date.getUTCSeconds() === s;
}

export function xiangmaSimulator(credentials: SandboxCredentials["xiangma"], context: SimulatorContext): GatewaySimulator {
  const signer = createSigner(credentials.key, {
    skip: "null",
    secretJoiner: "&key=",
    hexCase: "lower",
    algorithm: "md5",
    signField: "sign",
  });
  const orders = new OrderBook();
  const router = Router();
  /** "每次请求唯一": the query_trace_nos seen (the latest, bounded), so a reused one is refused. */
  const queryTraceNos = new Set<string>();
  const QUERY_TRACE_MEMORY = 10_000;
  const signed = (fields: JsonObject) => ({ ...fields, sign: signer.sign(fields) });

  /** Answers the gateway's (signed) error shape; null so a reader can `return fail(...)`. */
  const fail = (res: Response, message: string): null => {
    res.json(signed({ return_code: "FAIL", return_msg: message }));
    return null;
  };

  function readRequest(req: Request, res: Response, table: FieldTable): JsonObject | null {
    const body = parseJsonObject(req.body);
    if (!body) return fail(res, "参数不合法: 请求不是 JSON 对象");
    const problem = checkFields(body, table);
    if (problem) return fail(res, `参数不合法: ${problem.message}`);
    if (!signer.verify(body, body.sign)) return fail(res, "签名错误");
    if (body.inst_no !== credentials.instNo) return fail(res, "机构不存在: inst_no");
    if (body.mch_no !== credentials.mchNo) return fail(res, "商户不存在: mch_no");
    return body;
  }

  /** The doc's response shape, every field present (null where it does not apply). */
  function orderFields(order: SandboxOrder, message: string): JsonObject {
    return {
      return_code: "SUCCESS",
      return_msg: message,
      result_code: RESULT[order.status],
      pay_type: order.extra.pay_type,
      mch_name: "沙箱商户",
      shop_name: "",
      mch_no: credentials.mchNo,
      shop_no: "",
      pay_trace_no: order.orderNo,
      pay_time: order.extra.pay_time,
      total_amount: String(order.amountFen),
      trade_no: order.gatewayOrderNo,
      appId: null,
      timeStamp: null,
      nonceStr: null,
      packages: null,
      signType: null,
      paySign: null,
      ali_trade_no: null,
      attach: order.attach ?? null,
      code_url: null,
    };
  }

  /** The trade as the query answers and the notify say it (EVIDENCE.md). */
  function tradeFields(order: SandboxOrder): JsonObject {
    return {
      return_code: "SUCCESS",
      result_code: RESULT[order.status],
      mch_no: credentials.mchNo,
      pay_trace_no: order.orderNo,
      pay_time: order.extra.pay_time,
      total_amount: String(order.amountFen),
      trade_no: order.gatewayOrderNo,
    };
  }

  router.post(["/openpay/v3/h5pay", "/api/openpay/v3/h5pay"], (req, res) => {
    const body = readRequest(req, res, CREATE_FIELDS);
    if (!body) return;
    if (!isCompactTime(body.pay_time as string)) return fail(res, "参数不合法: pay_time must be a real time yyyyMMddHHmmss");
    const channel = PAY_TYPE_CHANNEL[body.pay_type as string] as Channel;
    const submitted: SandboxOrder = {
      orderNo: body.pay_trace_no as string,
      gatewayOrderNo: gatewayOrderNumber("200001102F", 29),
      amountFen: fenStringToFen(body.total_amount as string),
      channel,
      notifyUrl: (body.notify_url as string | undefined) || undefined,
      attach: (body.attach as string | undefined) || undefined,
      openId: (body.open_id as string | undefined) || undefined,
      status: "pending",
      createdAt: new Date(),
      extra: { pay_type: body.pay_type as string, pay_time: body.pay_time as string },
    };
    const order = orders.admit(submitted);
    if (!order) return fail(res, "请求流水号重复: pay_trace_no");

    const fields = orderFields(order, "预支付成功");
    // The create answer's result_code is not a payment result: the doc's example says PAY_SUCCESS here.
    fields.result_code = "PAY_SUCCESS";
    if (channel === "wechat" && order.openId) {
      const pay = {
        appId: "wx0sandbox0xiangma",
        // Milliseconds, as the doc warns some systems send.
        timeStamp: String(order.createdAt.getTime()),
        nonceStr: randomHex(16),
        packages: `prepay_id=wx${randomDigits(28)}`,
        signType: "MD5",
      };
      Object.assign(fields, pay, { paySign: signer.sign(pay).toUpperCase() });
    } else if (channel === "alipay" && order.openId) {
      fields.ali_trade_no = `2023${randomDigits(24)}`;
    } else {
      fields.code_url = pageUrl(context.sandboxUrl(req), "xiangma", order.gatewayOrderNo);
    }
    res.json(signed(fields));
  });

  router.post(["/xypay/v3/queryorder", "/api/xypay/v3/queryorder"], (req, res) => {
    const body = readRequest(req, res, QUERY_FIELDS);
    if (!body) return;
    const queryTraceNo = body.query_trace_no as string;
    if (queryTraceNos.has(queryTraceNo)) return fail(res, "查询流水号重复: query_trace_no");
    queryTraceNos.add(queryTraceNo);
    if (queryTraceNos.size > QUERY_TRACE_MEMORY) queryTraceNos.delete(queryTraceNos.values().next().value as string);
    const order = orders.byGatewayOrderNo(body.trade_no as string);
    if (!order) return fail(res, "订单不存在");
    const message = { pending: "支付中", paid: "支付成功", failed: "支付失败" }[order.status];
    // The sibling client's answers carry end_time as yyyyMMddHHmmss once paid.
    const endTime = order.completedAt ? { end_time: compactTime(order.completedAt) } : {};
    res.json(signed({ ...tradeFields(order), return_msg: message, query_trace_no: queryTraceNo, ...endTime }));
  });

  // Refund, refund query and close: the block at the end of this file.
  xiangmaLifecycleRoutes({ router, orders, desk: context.refunds, mchNo: credentials.mchNo, readRequest, fail, signed });

  return {
    id: "xiangma",
    router,
    orders,
    notify(order) {
      const fields: JsonObject = {
        ...tradeFields(order),
        inst_no: credentials.instNo,
        // *Assumed*: the evidence shows trade_type "1" without saying what it means.
        trade_type: "1",
        attach: order.attach ?? "",
        // As the evidence shows it: "2019-07-20 12:36:27.0".
        end_time: `${dashedTime(order.completedAt ?? order.createdAt)}.0`,
      };
      return { contentType: "application/json", body: JSON.stringify(signed(fields)) };
    },
    isAcknowledged(answer) {
      if (answer.status >= 300) return false;
      const reply = parseJsonObject(answer.body);
      return reply?.return_code === "SUCCESS";
    },
  };
}

// ─── Refund, refund query and close (issue 12; refunds branch) ──────────────────────────────
// The evidence's refundorder (trade_no or pay_trace_no + pay_time) and closeorder, and an
// *assumed* queryrefund (query_trace_no + refund_trace_no); outcomes from the shared refund desk.

const REFUND_FIELDS: FieldTable = {
  inst_no: { type: "string", required: true, maxLength: 32 },
  mch_no: { type: "string", required: true, maxLength: 32 },
  refund_trace_no: { type: "string", required: true, maxLength: 32 },
  refund_fee: { type: "string", required: true, pattern: /^[1-9]\d{0,9}$/, patternHint: "an amount of fen as a digit string" },
  trade_no: { type: "string", maxLength: 32 },
  pay_trace_no: { type: "string", maxLength: 32 },
  pay_time: { type: "string", pattern: /^\d{14}$/, patternHint: "yyyyMMddHHmmss" },
  sign: { type: "string", required: true },
};

const REFUND_QUERY_FIELDS: FieldTable = {
  inst_no: { type: "string", required: true, maxLength: 32 },
  mch_no: { type: "string", required: true, maxLength: 32 },
  query_trace_no: { type: "string", required: true, maxLength: 64 },
  refund_trace_no: { type: "string", required: true, maxLength: 32 },
  sign: { type: "string", required: true },
};

const CLOSE_FIELDS: FieldTable = {
  inst_no: { type: "string", required: true, maxLength: 32 },
  mch_no: { type: "string", required: true, maxLength: 32 },
  close_trace_no: { type: "string", required: true, maxLength: 64 },
  close_time: { type: "string", required: true, pattern: /^\d{14}$/, patternHint: "yyyyMMddHHmmss" },
  trade_no: { type: "string", required: true, maxLength: 32 },
  sign: { type: "string", required: true },
};

const REFUND_RESULT = { succeeded: "PAY_SUCCESS", processing: "PAY_IN_PROCESS", failed: "PAY_FAIL" } as const;

interface XiangmaRoutesContext {
  router: Router;
  orders: OrderBook;
  desk: RefundDesk;
  mchNo: string;
  readRequest(req: Request, res: Response, table: FieldTable): JsonObject | null;
  fail(res: Response, message: string): null;
  signed(fields: JsonObject): JsonObject;
}

function refundFields(order: SandboxOrder, refund: SandboxRefund, mchNo: string, message: string): JsonObject {
  return {
    return_code: "SUCCESS",
    return_msg: message,
    result_code: REFUND_RESULT[refund.status],
    mch_no: mchNo,
    refund_trace_no: refund.refundNo,
    refund_fee: String(refund.amountFen),
    refund_no: refund.gatewayRefundNo,
    trade_no: order.gatewayOrderNo,
    pay_trace_no: order.orderNo,
  };
}

function xiangmaLifecycleRoutes(ctx: XiangmaRoutesContext): void {
  const { router, orders, desk, fail, signed } = ctx;
  router.post(["/xypay/v3/refundorder", "/api/xypay/v3/refundorder"], (req, res) => {
    const body = ctx.readRequest(req, res, REFUND_FIELDS);
    if (!body) return;
    if (!body.trade_no && !(body.pay_trace_no && body.pay_time)) return fail(res, "参数不合法: trade_no 或 pay_trace_no + pay_time 必填");
    const order = body.trade_no ? orders.byGatewayOrderNo(body.trade_no as string) : orders.byOrderNo(body.pay_trace_no as string);
    if (!order) return fail(res, "订单不存在");
    const decision = desk.refund("xiangma", order, body.refund_trace_no as string, fenStringToFen(body.refund_fee as string));
    if ("refused" in decision) return fail(res, `退款失败: ${decision.refused}`);
    res.json(signed(refundFields(order, decision.refund, ctx.mchNo, "退款申请成功")));
  });

  router.post(["/openpay/v3/queryrefund", "/api/openpay/v3/queryrefund"], (req, res) => {
    const body = ctx.readRequest(req, res, REFUND_QUERY_FIELDS);
    if (!body) return;
    const found = desk.lookup("xiangma", body.refund_trace_no as string);
    if (!found) return fail(res, "退款单不存在");
    res.json(signed({ ...refundFields(found.order, found.refund, ctx.mchNo, "查询成功"), query_trace_no: body.query_trace_no as string }));
  });

  router.post(["/xypay/v3/closeorder", "/api/xypay/v3/closeorder"], (req, res) => {
    const body = ctx.readRequest(req, res, CLOSE_FIELDS);
    if (!body) return;
    const order = orders.byGatewayOrderNo(body.trade_no as string);
    if (!order) return fail(res, "订单不存在");
    const refused = desk.close(order);
    if (refused) return fail(res, `关单失败: ${refused}`);
    const echo = { close_trace_no: body.close_trace_no as string, close_time: body.close_time as string, trade_no: order.gatewayOrderNo };
    res.json(signed({ return_code: "SUCCESS", return_msg: "关单成功", result_code: "PAY_SUCCESS", mch_no: ctx.mchNo, ...echo }));
  });
}
