/**
 * upaas (doc 000): POST /v2/pay/jsapi and the assumed /v2/pay/query, JSON. Requests and the
 * response's `data` are signed with the common rule in lowercase hex (docs/gateways.md).
 * Errors: `{ code ≠ "000000", message }`.
 */
import { Router, type Request, type Response } from "express";
import { fenToYuanString, yuanStringToFen, type Channel } from "@paybridge/shared";
import { createSigner, COMMON_SIGN_RULE, type Signer } from "@paybridge/server-middleware";
import type { SandboxCredentials } from "../credentials.js";
import { checkFields, parseJsonObject, type FieldTable, type JsonObject } from "../fields.js";
import { dashedTime, epochSeconds, gatewayOrderNumber, randomDigits, randomHex } from "../ids.js";
import { OrderBook, type SandboxOrder } from "../order-book.js";
import { pageUrl, type GatewaySimulator, type SimulatorContext } from "../simulator.js";

const MODE_CHANNEL: Record<string, Channel> = { weixin: "wechat", alipay: "alipay", unionpay: "unionpay" };

const CREATE_FIELDS: FieldTable = {
  store_num: { type: "string", required: true, maxLength: 7 },
  pay_resource: { type: "integer" },
  staff_num: { type: "string", maxLength: 8 },
  device_sn: { type: "string", maxLength: 32 },
  sub_app_name: { type: "string", maxLength: 36 },
  sub_appid: { type: "string", maxLength: 36 },
  wx_appid: { type: "string", maxLength: 36 },
  open_id: { type: "string", required: true, maxLength: 36 },
  mode_code: { type: "string", required: true, maxLength: 16, oneOf: Object.keys(MODE_CHANNEL) },
  amount: { type: "string", required: true, maxLength: 12, pattern: /^\d+\.\d{2}$/, patternHint: "a yuan amount string with 2 decimals" },
  merchant_order_no: { type: "string", required: true, maxLength: 64 },
  notify_url: { type: "string", maxLength: 256 },
  sign: { type: "string", required: true },
};

const QUERY_FIELDS: FieldTable = {
  store_num: { type: "string", required: true, maxLength: 7 },
  merchant_order_no: { type: "string", required: true, maxLength: 64 },
  sign: { type: "string", required: true },
};

const STATUS = { pending: "NOTPAY", paid: "SUCCESS", failed: "FAIL" } as const;

export function upaasSimulator(credentials: SandboxCredentials["upaas"], context: SimulatorContext): GatewaySimulator {
  const signer: Signer = createSigner(credentials.key, { ...COMMON_SIGN_RULE, hexCase: "lower" });
  const orders = new OrderBook();
  const router = Router();

  /** Answers the gateway's error shape; null so a reader can `return fail(...)`. */
  const fail = (res: Response, code: string, message: string): null => {
    res.json({ code, message });
    return null;
  };
  const succeed = (res: Response, data: JsonObject) =>
    res.json({ code: "000000", message: "请求成功", data: { ...data, sign: signer.sign(data) } });

  /** Parses, checks fields and signature and the store; answers the error itself and returns null. */
  function readRequest(req: Request, res: Response, table: FieldTable): JsonObject | null {
    const body = parseJsonObject(req.body);
    if (!body) return fail(res, "400000", "请求报文不是 JSON 对象");
    const problem = checkFields(body, table);
    if (problem) return fail(res, "400001", `参数错误: ${problem.message}`);
    if (!signer.verify(body, body.sign)) return fail(res, "400002", "签名错误");
    if (body.store_num !== credentials.storeNum) return fail(res, "400003", "门店不存在: store_num");
    return body;
  }

  router.post("/v2/pay/jsapi", (req, res) => {
    const body = readRequest(req, res, CREATE_FIELDS);
    if (!body) return;
    const channel = MODE_CHANNEL[body.mode_code as string] as Channel;
    const amountFen = readFen(body.amount as string);
    if (amountFen === null) return fail(res, "400001", "参数错误: amount must be from 0.01 to 99999999.99");
    if (channel === "wechat" && !body.wx_appid && !body.sub_appid) {
      return fail(res, "400001", "参数错误: wx_appid is required (sub_appid and sub_app_name for a mini-program)");
    }
    if (channel === "wechat" && body.sub_appid && !body.sub_app_name) {
      return fail(res, "400001", "参数错误: sub_app_name is required with sub_appid");
    }
    const submitted: SandboxOrder = {
      orderNo: body.merchant_order_no as string,
      gatewayOrderNo: gatewayOrderNumber("32", 29),
      amountFen,
      channel,
      notifyUrl: (body.notify_url as string | undefined) || undefined,
      openId: body.open_id as string,
      status: "pending",
      createdAt: new Date(),
      extra: {},
    };
    const order = orders.admit(submitted);
    if (!order) return fail(res, "400004", "商户订单号重复: merchant_order_no");

    const data: JsonObject = {
      order_number: order.gatewayOrderNo,
      merchant_order_no: order.orderNo,
      amount: fenToYuanString(amountFen),
    };
    if (channel === "wechat") {
      const pay = {
        appId: (body.sub_appid ?? body.wx_appid) as string,
        nonceStr: randomHex(16),
        package: `prepay_id=wx${randomDigits(28)}`,
        signType: "MD5",
        timeStamp: epochSeconds(order.createdAt),
      };
      data.pre_pay_info = { ...pay, paySign: signer.sign(pay).toUpperCase() };
    } else if (channel === "alipay") {
      data.pre_pay_no = `2021${randomDigits(24)}`;
    } else {
      data.pre_pay_url = pageUrl(context.sandboxUrl(req), "upaas", order.gatewayOrderNo);
    }
    succeed(res, data);
  });

  router.post("/v2/pay/query", (req, res) => {
    const body = readRequest(req, res, QUERY_FIELDS);
    if (!body) return;
    const order = orders.byOrderNo(body.merchant_order_no as string);
    if (!order) return fail(res, "400005", "订单不存在");
    succeed(res, { ...statusFields(order), store_num: credentials.storeNum });
  });

  return {
    id: "upaas",
    router,
    orders,
    notify(order) {
      // *Assumed* (the notify is not public): it names the store, as the request does.
      const fields = { ...statusFields(order), store_num: credentials.storeNum };
      return { contentType: "application/json", body: JSON.stringify({ ...fields, sign: signer.sign(fields) }) };
    },
    isAcknowledged: (answer) => answer.status < 300 && answer.body.trim() === "SUCCESS",
  };
}

function readFen(yuan: string): number | null {
  try {
    const fen = yuanStringToFen(yuan);
    return fen >= 1 ? fen : null;
  } catch {
    return null;
  }
}

function statusFields(order: SandboxOrder): JsonObject {
  return {
    merchant_order_no: order.orderNo,
    order_number: order.gatewayOrderNo,
    amount: fenToYuanString(order.amountFen),
    status: STATUS[order.status],
    ...(order.completedAt && order.status === "paid" ? { pay_time: dashedTime(order.completedAt) } : {}),
  };
}
