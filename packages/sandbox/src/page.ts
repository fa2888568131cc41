/**
 * The redirect target (UnionPay pre_pay_url, xiangma code_url, vbao launchUrl): a small,
 * self-contained sheet with the amount and Pay / Cancel / Fail. Pay and Fail complete the
 * order through /control/complete (so a real signed notify goes out), then every button
 * returns to the page that sent the payer here.
 */
import { fenToYuanString } from "@paybridge/shared";
import type { SandboxOrder } from "./order-book.js";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** JSON safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

export interface PageInput {
  gateway: string;
  order: SandboxOrder;
  /** Absolute URL of the sandbox mount. */
  sandboxUrl: string;
}

export function renderPaymentPage({ gateway, order, sandboxUrl }: PageInput): string {
  const config = { completeUrl: `${sandboxUrl}/control/complete`, gateway, gatewayOrderNo: order.gatewayOrderNo };
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sandbox payment · ${escapeHtml(gateway)}</title>
<style>
body { font-family: system-ui, sans-serif; background: #f2f2f2; margin: 0; display: flex; min-height: 100vh; align-items: center; justify-content: center; }
main { background: #fff; border-radius: 12px; padding: 24px; width: min(360px, 90vw); box-shadow: 0 2px 12px rgba(0,0,0,.1); text-align: center; }
.amount { font-size: 32px; margin: 12px 0; }
.meta { color: #666; font-size: 13px; word-break: break-all; }
button { display: block; width: 100%; margin-top: 10px; padding: 12px; font-size: 16px; border-radius: 8px; border: 1px solid #ccc; background: #fff; }
#sandbox-pay { background: #07c160; color: #fff; border: none; }
#sandbox-fail { color: #c00; }
</style>
</head>
<body>
<main>
<p class="meta">paybridge sandbox · ${escapeHtml(gateway)} · ${escapeHtml(order.channel)}</p>
<p class="amount" id="sandbox-amount">¥${fenToYuanString(order.amountFen)}</p>
<p class="meta">${escapeHtml(order.orderNo)}</p>
<p class="meta" id="sandbox-status">${escapeHtml(order.status)}</p>
<button id="sandbox-pay" type="button">Pay</button>
<button id="sandbox-cancel" type="button">Cancel</button>
<button id="sandbox-fail" type="button">Fail</button>
</main>
<script>
(function () {
  var config = ${scriptJson(config)};
  var status = document.getElementById("sandbox-status");
  function back() { location.href = document.referrer || "/"; }
  function complete(outcome) {
    status.textContent = "…";
    fetch(config.completeUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ gateway: config.gateway, gatewayOrderNo: config.gatewayOrderNo, outcome: outcome })
    }).then(back, function (error) { status.textContent = String(error); });
  }
  document.getElementById("sandbox-pay").onclick = function () { complete("paid"); };
  document.getElementById("sandbox-fail").onclick = function () { complete("failed"); };
  document.getElementById("sandbox-cancel").onclick = back;
})();
</script>
</body>
</html>
`;
}
