// The demo checkout page, a plain script as a merchant's page would have: it shows the order,
// one button per channel the gateway supports, the progress, and the result the server
// confirmed in #result ("paid" / "cancelled" / "pending", or the error).
(() => {
  "use strict";

  const CHANNEL_NAMES = { wechat: "WeChat Pay", alipay: "Alipay", unionpay: "UnionPay" };
  const byId = (id) => document.getElementById(id);
  const orderNo = currentOrderNo();
  // With a real gateway the payer's id comes from the merchant's login (OAuth); the demo takes ?openId=.
  const openId = new URL(location.href).searchParams.get("openId");
  const client = window.PayBridge.createPayClient({ endpoint: "/pay" });

  /** The order number from ?orderNo=, or a new one written into the URL (a redirect returns to it). */
  function currentOrderNo() {
    const url = new URL(location.href);
    const given = url.searchParams.get("orderNo");
    if (given) return given;
    // Shops demo: ?shop=tea, ?shop=noodle or ?shop=rice names the shop in the order number (the server looks it up).
    const shop = url.searchParams.get("shop");
    const created = `${shop && /^[a-z]+$/.test(shop) ? `${shop}_` : ""}DEMO${Date.now()}-1`;
    url.searchParams.set("orderNo", created);
    history.replaceState(null, "", url);
    return created;
  }

  /** 1 → "¥0.01": digits only, no floating point. */
  function formatFen(fen) {
    const digits = String(fen).padStart(3, "0");
    return `¥${digits.slice(0, -2)}.${digits.slice(-2)}`;
  }

  function step(text) {
    const item = document.createElement("li");
    item.textContent = text;
    byId("progress").append(item);
  }

  function showResult(status, text = status) {
    const result = byId("result");
    result.dataset.status = status;
    result.textContent = text;
  }

  function setButtonsDisabled(disabled) {
    for (const button of byId("channels").querySelectorAll("button")) button.disabled = disabled;
  }

  function render(config) {
    byId("gateway").textContent = config.gateway;
    const mode = byId("mode");
    mode.textContent = config.sandbox ? "sandbox" : "live";
    mode.classList.toggle("sandbox", config.sandbox);
    byId("order-no").textContent = orderNo;
    byId("amount").textContent = formatFen(config.order.amountFen);
    document.querySelector("#order-form input").value = orderNo;
    const channels = byId("channels");
    for (const channel of Object.keys(config.channels)) {
      const button = document.createElement("button");
      button.type = "button";
      button.id = `pay-${channel}`;
      button.dataset.channel = channel;
      button.textContent = `Pay with ${CHANNEL_NAMES[channel] ?? channel}`;
      button.addEventListener("click", () => void pay(channel));
      channels.append(button);
    }
  }

  function finish(result) {
    showResult(result.status);
    step(`Server says: ${result.status}`);
    setButtonsDisabled(result.status === "paid");
    byId("refund").hidden = !(result.status === "paid" && sandboxMode);
  }

  // Sandbox only: the demo server's /demo/refund calls router.refund (refunds are server-side).
  async function refund() {
    const button = byId("refund");
    button.disabled = true;
    step("Asking the server to refund the order…");
    try {
      const response = await fetch("/demo/refund", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ orderNo }) });
      const body = await response.json();
      if (!response.ok) throw Object.assign(new Error(body.error.message), { code: body.error.code });
      step(`Refund ${body.refundNo}: ${body.status} (${formatFen(body.refundedFen)} refunded)`);
      showResult(body.status === "succeeded" ? "refunded" : `refund ${body.status}`);
    } catch (error) {
      fail(error);
      setButtonsDisabled(true);
    } finally {
      button.disabled = false;
    }
  }
  let sandboxMode = false;

  function fail(error) {
    const code = error && error.code ? error.code : "error";
    const message = error && error.message ? error.message : String(error);
    showResult("error", `${code}: ${message}`);
    byId("result").dataset.code = code;
    step(`Failed: ${code}`);
    setButtonsDisabled(false);
  }

  async function pay(channel) {
    setButtonsDisabled(true);
    byId("progress").replaceChildren();
    showResult("working", "");
    step(`Creating the order for ${CHANNEL_NAMES[channel] ?? channel}…`);
    try {
      finish(await client.pay({ orderNo, channel, ...(openId ? { openId } : {}) }));
    } catch (error) {
      fail(error);
    }
  }

  client.on("created", (order) => step(`Order ${order.orderNo} created at ${order.gateway} (${order.gatewayOrderNo ?? "no gateway number"}).`));
  client.on("launched", (launch) => step(launch.action === "redirect" ? "Leaving for the payment page…" : "Waiting for the wallet…"));

  document.querySelector("#order-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const next = new FormData(event.target).get("orderNo").trim();
    if (next) location.search = `?orderNo=${encodeURIComponent(next)}`;
  });

  async function main() {
    const response = await fetch(`/demo/config?orderNo=${encodeURIComponent(orderNo)}`);
    const config = await response.json();
    render(config);
    sandboxMode = config.sandbox;
    const reconciliation = byId("reconciliation-link");
    reconciliation.hidden = !config.sandbox;
    // Shops: the order number's prefix names whose day to show.
    const shop = /^([a-z]+)_/.exec(orderNo)?.[1];
    if (shop) reconciliation.querySelector("a").href = `/reconciliation.html?shop=${shop}`;
    byId("refund").addEventListener("click", () => void refund());
    if (config.sandbox) window.PayBridgeSandbox.installSandboxBridges({ sandboxUrl: "/sandbox", client });
    // Back from a redirect (UnionPay page, ...): finish the payment that was under way.
    const resumed = await client.resume();
    if (resumed) {
      step("Back from the payment page; confirming with the server…");
      finish(resumed);
    }
  }

  main().catch(fail);
})();
