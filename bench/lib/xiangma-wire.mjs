/**
 * The baseline's hand-written knowledge of one gateway, xiangma (doc 002 and
 * docs/gateways.md): the create request, its signature, reading the signed response into an
 * action, and the notify check and replies. Deliberately minimal: it is what a merchant
 * would write for one gateway without paybridge, so paybridge's overhead can be measured.
 */
export const GATEWAY_ID = "xiangma";
/** Relative to the sandbox mount (its xiangma simulator lives under /xiangma). */
export const CREATE_PATH = "/xiangma/api/openpay/v3/h5pay";

/** Sort ASCII, skip `sign` and null (empty strings ARE signed), `&key=`, MD5, lowercase. */
export const SIGN_RULE = { skip: "null", secretJoiner: "&key=", hexCase: "lower", algorithm: "md5", signField: "sign" };

export const NOTIFY_SUCCESS = JSON.stringify({ return_code: "SUCCESS", return_msg: "成功" });
export const NOTIFY_FAILURE = JSON.stringify({ return_code: "FAIL", return_msg: "invalid notify" });

const PAY_TYPE_WECHAT = "400";
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

/** `yyyyMMddHHmmss` in Asia/Shanghai (no daylight saving there, so a fixed offset is exact). */
function shanghaiTimestamp(now = Date.now()) {
  return new Date(now + SHANGHAI_OFFSET_MS).toISOString().replace(/\D/g, "").slice(0, 14);
}

/** The signed body of a WeChat h5 create request. */
export function createRequestFields({ instNo, mchNo, key }, { orderNo, amountFen, notifyUrl }, computeSign) {
  const fields = {
    inst_no: instNo,
    mch_no: mchNo,
    pay_type: PAY_TYPE_WECHAT,
    pay_trace_no: orderNo,
    pay_time: shanghaiTimestamp(),
    total_amount: String(amountFen),
    notify_url: notifyUrl,
  };
  return { ...fields, sign: computeSign(fields, SIGN_RULE, key) };
}

/** Verifies the response's signature and reads it into `{ gatewayOrderNo, action }`. */
export function readCreateResponse(body, key, verifySign) {
  if (body.return_code !== "SUCCESS") throw new Error(`xiangma: ${body.return_msg ?? "create failed"}`);
  if (!verifySign(body, SIGN_RULE, key, body.sign)) throw new Error("xiangma: response signature does not verify");
  return { gatewayOrderNo: body.trade_no, action: actionOf(body) };
}

function actionOf(body) {
  if (body.appId) {
    const seconds = String(body.timeStamp).slice(0, 10);
    return {
      type: "wechat",
      params: { appId: body.appId, timeStamp: seconds, nonceStr: body.nonceStr, package: body.packages, signType: body.signType, paySign: body.paySign },
    };
  }
  if (body.ali_trade_no) return { type: "alipay", tradeNO: body.ali_trade_no };
  if (body.code_url) return { type: "redirect", url: body.code_url };
  throw new Error("xiangma: response carries no payment action");
}

/** A notify is good when its signature verifies and it reports a payment. */
export function isPaidNotify(body, key, verifySign) {
  return verifySign(body, SIGN_RULE, key, body.sign) && body.result_code === "PAY_SUCCESS";
}

/**
 * From one captured notify (the sandbox's own), a function that writes the same notify for
 * another order: the fields holding the template's order numbers take the other order's,
 * and the body is re-signed.
 */
export function notifyRewriter(templateBody, template, key, computeSign) {
  const templateFields = JSON.parse(templateBody.toString("utf8"));
  return (order) => {
    const fields = { ...templateFields };
    for (const [name, value] of Object.entries(fields)) {
      if (value === template.orderNo) fields[name] = order.orderNo;
      else if (value === template.gatewayOrderNo) fields[name] = order.gatewayOrderNo;
    }
    fields.sign = computeSign(fields, SIGN_RULE, key);
    return JSON.stringify(fields);
  };
}
