/**
 * Child process of the memory section (run with --expose-gc): writes `orders` orders into a
 * MemoryOrderStore through the lifecycle the order service drives (insert pending with its
 * action, then paid, then onPaid done; optionally refunds), and prints the heap in use after a
 * full GC at each checkpoint, as one JSON line.
 */
import { pathToFileURL } from "node:url";
import { distFiles } from "./paths.mjs";

const { orders, maxOrders, refundsPerOrder, checkpoints } = JSON.parse(process.argv[2]);
const { MemoryOrderStore } = await import(pathToFileURL(distFiles.middleware).href);

const heap = () => {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};

/** A record as the order service writes one for a WeChat JSAPI order at xiangma. */
function pendingRecord(i) {
  const orderNo = `BENCH${String(i).padStart(14, "0")}`;
  return {
    orderNo,
    status: "pending",
    amountFen: 1999 + (i % 1000),
    gateway: "xiangma",
    channel: "wechat",
    scene: "jsapi",
    action: {
      type: "wechat",
      params: {
        appId: "wx2421b1c4370ec43b",
        timeStamp: String(1_764_460_000 + i),
        nonceStr: `n${i.toString(36).padStart(31, "0")}`,
        package: `prepay_id=wx${String(i).padStart(30, "0")}`,
        signType: "MD5",
        paySign: `${i.toString(16).padStart(32, "0").toUpperCase()}`,
      },
    },
    gatewayOrderNo: `XM${String(i).padStart(26, "0")}`,
    description: "两杯咖啡",
    attach: `cart-${i}`,
    openId: `oUpF8uMuAJO_M2pxb1Q9zNj${String(i).padStart(5, "0")}`,
    createdAt: new Date(1_764_460_000_000 + i).toISOString(),
    fulfilment: "none",
  };
}

const store = new MemoryOrderStore(maxOrders ? { maxOrders } : { maxOrders: 10_000_000 });
const points = [];
const base = heap();
const started = performance.now();
for (let i = 1; i <= orders; i++) {
  await store.insert(pendingRecord(i));
  const orderNo = `BENCH${String(i).padStart(14, "0")}`;
  let { version, ...fields } = await store.get(orderNo);
  let written = await store.compareAndSet(orderNo, version, { ...fields, status: "paid", paidAt: new Date().toISOString(), fulfilment: "running", fulfilmentLeaseUntil: Date.now() + 60_000 });
  ({ version, ...fields } = written);
  delete fields.fulfilmentLeaseUntil;
  written = await store.compareAndSet(orderNo, version, { ...fields, fulfilment: "done" });
  for (let r = 0; r < refundsPerOrder; r++) {
    ({ version, ...fields } = written);
    const refunds = [...(fields.refunds ?? []), {
      refundNo: `${orderNo}-R${r}`, amountFen: 1, status: "succeeded", requestedAt: new Date().toISOString(), attempts: 1,
      gatewayRefundNo: `XR${String(i).padStart(24, "0")}${r}`, finishedAt: new Date().toISOString(), fulfilment: "done",
    }];
    written = await store.compareAndSet(orderNo, version, { ...fields, status: "partially_refunded", refunds });
  }
  if (checkpoints.includes(i)) points.push({ orders: i, held: store.size, heapBytes: heap() - base });
}
const elapsedMs = performance.now() - started;
process.stdout.write(`${JSON.stringify({ points, elapsedMs: Math.round(elapsedMs) })}\n`);
