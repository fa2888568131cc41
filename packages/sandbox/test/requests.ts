/**
 * Hand-built, hand-signed gateway requests (from the documents, not from the adapters), and
 * the signing rules a merchant would verify the sandbox's answers and notifies with.
 */
import { constants, createPublicKey, publicDecrypt, publicEncrypt, randomUUID } from "node:crypto";
import { computeSign, COMMON_SIGN_RULE, type SignRule } from "@paybridge/server-middleware";
import { SANDBOX_CREDENTIALS } from "@paybridge/sandbox";
import type { RunningSandbox } from "./support.js";

export type Fields = Record<string, unknown>;

export const UPAAS_RULE: SignRule = { ...COMMON_SIGN_RULE, hexCase: "lower" };
export const LIANKE_RULE: SignRule = COMMON_SIGN_RULE;
export const XIANGMA_RULE: SignRule = { skip: "null", secretJoiner: "&key=", hexCase: "lower", algorithm: "md5", signField: "sign" };
export const FUBEI_NOTIFY_RULE: SignRule = { skip: "empty", secretJoiner: "", hexCase: "upper", algorithm: "md5", signField: "sign" };
export const FUBEI_ENVELOPE_RULE: SignRule = {
  ...FUBEI_NOTIFY_RULE,
  fields: ["app_id", "method", "format", "sign_method", "nonce", "version", "biz_content"],
};
export const VBAO_RULE: SignRule = COMMON_SIGN_RULE;

export const uniqueOrderNo = (): string => `T${randomUUID().replace(/-/g, "").slice(0, 20)}`;

export function signed(fields: Fields, rule: SignRule, secret: string): Fields {
  return { ...fields, sign: computeSign(fields, rule, secret) };
}

/** Everything but `sign`, for checking a signature over the rest. */
export function withoutSign(fields: Fields): Fields {
  const { sign: _sign, ...rest } = fields;
  return rest;
}

const { upaas, lianke, xiangma, fubei, vbao } = SANDBOX_CREDENTIALS;

export function upaasCreate(fields: Fields = {}): Fields {
  return {
    store_num: upaas.storeNum,
    open_id: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
    mode_code: "weixin",
    wx_appid: "wx7b54f0a5769316b9",
    amount: "0.01",
    merchant_order_no: uniqueOrderNo(),
    ...fields,
  };
}

export function liankeCreate(fields: Fields = {}): Fields {
  return {
    store_no: lianke.storeNo,
    paytype: 11,
    appid: "wx7b54f0a5769316b9",
    openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
    amount: 1,
    order_no: uniqueOrderNo(),
    ...fields,
  };
}

export function xiangmaCreate(fields: Fields = {}): Fields {
  return {
    inst_no: xiangma.instNo,
    mch_no: xiangma.mchNo,
    pay_time: "20230306235318",
    pay_trace_no: uniqueOrderNo(),
    pay_type: "400",
    total_amount: "1",
    ...fields,
  };
}

export function fubeiBiz(fields: Fields = {}): Fields {
  return {
    merchant_order_sn: uniqueOrderNo(),
    sub_openid: "oODbw0Aiss8lP5aPvFq9-_F4H9LA",
    total_fee: 0.01,
    store_id: fubei.storeId,
    ...fields,
  };
}

/** The signed envelope around a biz_content. */
export function fubeiEnvelope(method: string, biz: Fields, fields: Fields = {}): Fields {
  const envelope = {
    app_id: fubei.appId,
    method,
    format: "json",
    sign_method: "md5",
    nonce: randomUUID().replace(/-/g, ""),
    version: "1.0",
    biz_content: JSON.stringify(biz),
    ...fields,
  };
  return signed(envelope, FUBEI_ENVELOPE_RULE, fubei.appSecret);
}

const VBAO_PUBLIC_KEY = createPublicKey({ key: Buffer.from(vbao.publicKey, "base64"), format: "der", type: "spki" });

/** 基本规则: the message signed (MD5, upper-case, `&key=`), RSA-encrypted with vbao's public key in 245-byte blocks, base64. */
export function vbaoReqmsg(message: Fields, sign = true): string {
  const plain = Buffer.from(JSON.stringify(sign ? signed(message, VBAO_RULE, vbao.key) : message), "utf8");
  const blocks: Buffer[] = [];
  for (let at = 0; at < plain.length; at += 245) {
    blocks.push(publicEncrypt({ key: VBAO_PUBLIC_KEY, padding: constants.RSA_PKCS1_PADDING }, plain.subarray(at, at + 245)));
  }
  return Buffer.concat(blocks).toString("base64");
}

export function vbaoRequest(message: Fields, fields: Fields = {}): Fields {
  return { customerNo: vbao.customerNo, reqmsg: vbaoReqmsg(message), ...fields };
}

/** An answer's `data`, decrypted with vbao's public key (256-byte blocks). */
export function vbaoData(json: Fields): Fields {
  const cipher = Buffer.from(json.data as string, "base64");
  const parts: Buffer[] = [];
  for (let at = 0; at < cipher.length; at += 256) {
    parts.push(publicDecrypt({ key: VBAO_PUBLIC_KEY, padding: constants.RSA_PKCS1_PADDING }, cipher.subarray(at, at + 256)));
  }
  return JSON.parse(Buffer.concat(parts).toString("utf8")) as Fields;
}

/** 统一下单's fields (payType: the adapter's assumption). */
export function vbaoCreate(fields: Fields = {}): Fields {
  return { orderNo: uniqueOrderNo(), orderAmount: 1, payType: "WECHAT", ...fields };
}

/** One gateway's create, hand-signed, with a notify URL; resolves the gateway order number. */
export interface GatewayDriver {
  gateway: "upaas" | "lianke" | "xiangma" | "fubei" | "vbao";
  create(running: RunningSandbox, notifyUrl: string): Promise<string>;
  /** What a merchant answers to acknowledge, and to refuse. */
  success: string;
  failure: string;
}

function expectOk(ok: boolean, json: Fields): void {
  if (!ok) throw new Error(`create failed: ${JSON.stringify(json)}`);
}

export const DRIVERS: readonly GatewayDriver[] = [
  {
    gateway: "upaas",
    success: "SUCCESS",
    failure: "FAIL",
    async create(running, notifyUrl) {
      const { json } = await running.post("/upaas/v2/pay/jsapi", signed(upaasCreate({ notify_url: notifyUrl }), UPAAS_RULE, upaas.key));
      expectOk(json.code === "000000", json);
      return (json.data as Fields).order_number as string;
    },
  },
  {
    gateway: "lianke",
    success: "OK",
    failure: "FAIL",
    async create(running, notifyUrl) {
      const { json } = await running.post("/lianke/QuickPay/JSAPIPay", signed(liankeCreate({ notify_url: notifyUrl }), LIANKE_RULE, lianke.key));
      expectOk(json.code === "SUCCESS", json);
      return (json.data as Fields).transaction_no as string;
    },
  },
  {
    gateway: "xiangma",
    success: '{"return_code":"SUCCESS","return_msg":"成功"}',
    failure: '{"return_code":"FAIL","return_msg":"amount mismatch"}',
    async create(running, notifyUrl) {
      const { json } = await running.post("/xiangma/api/openpay/v3/h5pay", signed(xiangmaCreate({ notify_url: notifyUrl }), XIANGMA_RULE, xiangma.key));
      expectOk(json.return_code === "SUCCESS", json);
      return json.trade_no as string;
    },
  },
  {
    gateway: "fubei",
    success: "success",
    failure: "fail",
    async create(running, notifyUrl) {
      const { json } = await running.post("/fubei/gateway", fubeiEnvelope("openapi.payment.order.mina", fubeiBiz({ call_back_url: notifyUrl })));
      expectOk(json.result_code === 200, json);
      return (json.data as Fields).order_sn as string;
    },
  },
  {
    gateway: "vbao",
    success: "OK",
    failure: "FAIL",
    async create(running, notifyUrl) {
      const { json } = await running.post("/vbao/api/vborder/qrorder/standard/create", vbaoRequest(vbaoCreate({ notifyUrl })));
      expectOk(json.code === "200", json);
      return vbaoData(json).vbOrderNo as string;
    },
  },
];
