/**
 * Sign and verify operations per second for each gateway's rule (signing.ts, dist), over a
 * notify-sized payload shaped as docs/gateways.md describes. The rules restate that page:
 * adapters keep theirs private, and a benchmark must not reach into them.
 */
import { performance } from "node:perf_hooks";
import { distFiles } from "../lib/paths.mjs";
import { round } from "../lib/load.mjs";

const LOOP_SECONDS = Number(process.env.BENCH_SIGN_SECONDS ?? 0.5);
const MAX_ITERATIONS = 5_000_000;
const SECRET = "bench-secret-0123456789abcdef0123";

const common = { skip: "empty", secretJoiner: "&key=", algorithm: "md5", signField: "sign" };

const GATEWAY_RULES = {
  upaas: {
    rule: { ...common, hexCase: "lower" },
    fields: { merchant_order_no: "BENCH-0001", order_number: "UP2026112200000001", amount: "0.01", status: "SUCCESS", pay_time: "2026-11-22 10:00:00" },
  },
  lianke: {
    rule: { ...common, hexCase: "upper" },
    fields: { order_no: "BENCH-0001", transaction_no: "LK2026112200000001", total_amount: 1, transaction_status: "SUCCESS", transaction_time: "2026-11-22 10:00:00", attach: "" },
  },
  xiangma: {
    rule: { ...common, skip: "null", hexCase: "lower" },
    fields: { return_code: "SUCCESS", return_msg: "成功", result_code: "PAY_SUCCESS", inst_no: "60000001", mch_no: "Y52212190001", pay_type: "400", pay_trace_no: "BENCH-0001", trade_no: "200001102F4623030615082110001", total_amount: "1", pay_time: "20261122100000", attach: null },
  },
  fubei: {
    rule: { ...common, secretJoiner: "", hexCase: "upper" },
    fields: {
      result_code: 200,
      result_message: "success",
      data: JSON.stringify({ merchant_order_sn: "BENCH-0001", order_sn: "FB2026112200000001", total_fee: 0.01, trade_state: "SUCCESS", finish_time: "2026-11-22 10:00:00" }),
    },
  },
  vbao: {
    rule: { ...common, hexCase: "upper" },
    fields: { orderNo: "BENCH-0001", vbOrderNo: "VB2026112200000001", amount: 1, payStatus: "SUCCESS", payTime: "2026-11-22 10:00:00" },
  },
};

export async function measureSigning() {
  const { computeSign, verifySign } = await import(distFiles.signing);
  const results = {};
  for (const [gateway, { rule, fields }] of Object.entries(GATEWAY_RULES)) {
    const signature = computeSign(fields, rule, SECRET);
    if (!verifySign(fields, rule, SECRET, signature)) throw new Error(`${gateway}: a fresh signature does not verify`);
    results[gateway] = {
      rule,
      signPerSecond: opsPerSecond(() => computeSign(fields, rule, SECRET)),
      verifyPerSecond: opsPerSecond(() => verifySign(fields, rule, SECRET, signature)),
    };
  }
  return results;
}

/**
 * Runs `op` for LOOP_SECONDS (checking the clock every 256 calls), at most MAX_ITERATIONS
 * times, after an untimed warm-up so the first gateway measured does not pay for the JIT.
 */
function opsPerSecond(op) {
  for (let i = 0; i < 10_000; i++) op();
  const started = performance.now();
  const deadline = started + LOOP_SECONDS * 1000;
  let iterations = 0;
  while (iterations < MAX_ITERATIONS) {
    for (let i = 0; i < 256; i++) op();
    iterations += 256;
    if (performance.now() >= deadline) break;
  }
  return round(iterations / ((performance.now() - started) / 1000), 0);
}
