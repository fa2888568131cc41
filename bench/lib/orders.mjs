/** Creating orders through a router before a notify run, and completing one at the sandbox. */

/**
 * POSTs each order number to `{payUrl}/orders` (round-robin over `payUrls`), `concurrency` at a
 * time; resolves `[{ orderNo, gatewayOrderNo }]` in input order. Any non-201 answer is fatal:
 * a notify run over orders that do not exist would measure the rejection path.
 */
export async function createOrders(payUrls, orderNos, { channel, scene, concurrency = 10 }) {
  const created = new Array(orderNos.length);
  let next = 0;
  const worker = async () => {
    while (next < orderNos.length) {
      const index = next++;
      const orderNo = orderNos[index];
      const response = await fetch(`${payUrls[index % payUrls.length]}/orders`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ orderNo, channel, scene }),
      });
      const body = await response.json();
      if (response.status !== 201 || typeof body.gatewayOrderNo !== "string") {
        throw new Error(`creating ${orderNo}: HTTP ${response.status} ${JSON.stringify(body)}`);
      }
      created[index] = { orderNo, gatewayOrderNo: body.gatewayOrderNo };
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return created;
}

/** Pays a gateway order at the sandbox, which then sends its signed notify. */
export async function completeAtSandbox(sandboxUrl, gateway, gatewayOrderNo) {
  const response = await fetch(`${sandboxUrl}/control/complete`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ gateway, gatewayOrderNo, outcome: "paid" }),
  });
  if (!response.ok) throw new Error(`sandbox /control/complete: HTTP ${response.status} ${await response.text()}`);
}

let seriesCount = 0;

/** `i => order number`, unique to this series (short: xiangma allows 32 characters). */
export function orderNumberSeries(prefix) {
  const series = `${Date.now().toString(36)}${(seriesCount++).toString(36)}`;
  return (i) => `${prefix}${series}-${i}`;
}

export function orderNumbers(prefix, count) {
  const orderNumber = orderNumberSeries(prefix);
  return Array.from({ length: count }, (_, i) => orderNumber(i));
}
