/**
 * One notify signer per gateway, built from docs/gateways.md (not from the adapters or the
 * simulators): like stripe's generateTestHeaderString, it lets a test build a notify exactly
 * as the gateway would sign it, so a test can change one thing and keep the signature valid.
 * Each also knows where its gateway puts the order number and the amount, and in what unit.
 */
import { fenToYuanNumber, fenToYuanString } from "@paybridge/shared";
import { computeSign, COMMON_SIGN_RULE, type SignRule } from "../../../packages/server-middleware/src/gateways/kit/signing.js";
import type { SandboxCredentials } from "@paybridge/sandbox";

export type GatewayId = keyof SandboxCredentials;
export const GATEWAY_IDS: readonly GatewayId[] = ["upaas", "lianke", "xiangma", "fubei", "vbao"];

export type NotifyFields = Record<string, unknown>;

export interface NotifySigner {
  readonly gateway: GatewayId;
  readonly rule: SignRule;
  /** The fields with a fresh `sign`, as the gateway would send them. */
  sign(fields: NotifyFields): NotifyFields;
  /** Copies with the order number / amount changed (unsigned: call sign() to re-sign). */
  withOrderNo(fields: NotifyFields, orderNo: string): NotifyFields;
  withAmountFen(fields: NotifyFields, amountFen: number): NotifyFields;
  /** A copy saying the payment failed, in the gateway's own words. */
  withFailure(fields: NotifyFields): NotifyFields;
}

interface Layout {
  rule: SignRule;
  secret: string;
  /** Fields inside this JSON-string field instead of at the top (fubei's `data`). */
  nestedIn?: string;
  orderNoField: string;
  amountField: string;
  amountFromFen(fen: number): unknown;
  /** Where the outcome is, and the gateway's word for a failed payment. */
  statusField: string;
  failedWord: string;
}

function layouts(credentials: SandboxCredentials): Record<GatewayId, Layout> {
  return {
    upaas: {
      rule: { ...COMMON_SIGN_RULE, hexCase: "lower" },
      secret: credentials.upaas.key,
      orderNoField: "merchant_order_no",
      amountField: "amount",
      amountFromFen: fenToYuanString,
      statusField: "status",
      failedWord: "FAIL",
    },
    lianke: {
      rule: COMMON_SIGN_RULE,
      secret: credentials.lianke.key,
      orderNoField: "order_no",
      amountField: "total_amount",
      amountFromFen: (fen) => fen,
      statusField: "transaction_status",
      failedWord: "FAIL",
    },
    xiangma: {
      rule: { skip: "null", secretJoiner: "&key=", hexCase: "lower", algorithm: "md5", signField: "sign" },
      secret: credentials.xiangma.key,
      orderNoField: "pay_trace_no",
      amountField: "total_amount",
      amountFromFen: (fen) => String(fen),
      statusField: "result_code",
      failedWord: "PAY_FAIL",
    },
    fubei: {
      rule: { skip: "empty", secretJoiner: "", hexCase: "upper", algorithm: "md5", signField: "sign" },
      secret: credentials.fubei.appSecret,
      nestedIn: "data",
      orderNoField: "merchant_order_sn",
      amountField: "total_fee",
      amountFromFen: fenToYuanNumber,
      statusField: "trade_state",
      failedWord: "REVOKED",
    },
    vbao: {
      rule: COMMON_SIGN_RULE,
      secret: credentials.vbao.key,
      orderNoField: "orderNo",
      amountField: "orderAmount",
      amountFromFen: (fen) => fen,
      statusField: "payStatus",
      failedWord: "FAIL",
    },
  };
}

export function notifySigner(gateway: GatewayId, credentials: SandboxCredentials): NotifySigner {
  const layout = layouts(credentials)[gateway];
  const inner = (fields: NotifyFields): NotifyFields =>
    layout.nestedIn ? (JSON.parse(String(fields[layout.nestedIn])) as NotifyFields) : fields;
  const withInner = (fields: NotifyFields, change: (inner: NotifyFields) => NotifyFields): NotifyFields => {
    const { [layout.rule.signField]: _sign, ...unsigned } = fields;
    if (!layout.nestedIn) return change(unsigned);
    return { ...unsigned, [layout.nestedIn]: JSON.stringify(change(inner(fields))) };
  };
  return {
    gateway,
    rule: layout.rule,
    sign(fields) {
      const { [layout.rule.signField]: _sign, ...unsigned } = fields;
      return { ...unsigned, [layout.rule.signField]: computeSign(unsigned, layout.rule, layout.secret) };
    },
    withOrderNo: (fields, orderNo) => withInner(fields, (data) => ({ ...data, [layout.orderNoField]: orderNo })),
    withAmountFen: (fields, fen) => withInner(fields, (data) => ({ ...data, [layout.amountField]: layout.amountFromFen(fen) })),
    withFailure: (fields) => withInner(fields, (data) => ({ ...data, [layout.statusField]: layout.failedWord })),
  };
}
