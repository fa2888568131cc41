// The demo's reconciliation page: sets the sandbox's bill mismatch switches, then shows the
// day's report (/demo/reconciliation/report, the CLI's HTML report) in the frame.
(function () {
  "use strict";
  const form = document.getElementById("bill-form");
  const frame = document.getElementById("report");
  const status = document.getElementById("bill-status");
  const shop = new URLSearchParams(location.search).get("shop");
  // Asia/Shanghai's today: the day a gateway's bill is for.
  form.elements.date.value = new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10);
  if (shop) document.getElementById("checkout").href = `/?shop=${encodeURIComponent(shop)}`;

  async function gateway() {
    const config = await (await fetch(`/demo/config${shop ? `?orderNo=${encodeURIComponent(`${shop}_0`)}` : ""}`)).json();
    document.getElementById("gateway").textContent = config.gateway;
    return config.gateway;
  }

  async function reconcile(event) {
    event?.preventDefault();
    status.textContent = "reconciling…";
    const kinds = [...form.querySelectorAll('input[name="kinds"]:checked')].map((box) => box.value);
    const set = await fetch("/sandbox/control/bill-mismatch", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ gateway: await gateway(), kinds }),
    });
    if (!set.ok) {
      status.textContent = "the sandbox refused the switches";
      return;
    }
    const query = new URLSearchParams({ date: form.elements.date.value, ...(shop ? { shop } : {}) });
    frame.src = `/demo/reconciliation/report?${query}`;
    status.textContent = kinds.length ? `${kinds.length} switch(es) on` : "the bill as the gateway would send it";
  }

  form.addEventListener("submit", reconcile);
  reconcile();
})();
