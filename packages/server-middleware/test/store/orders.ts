/** An order record as the order service writes one, for the store tests. */
import type { OrderRecord } from "../../src/store/contract.js";

let orderSeq = 0;

/** A pending order with every field set; a fresh order number unless one is given. */
export function newOrder(overrides: Partial<Omit<OrderRecord, "version">> = {}): Omit<OrderRecord, "version"> {
  orderSeq += 1;
  return {
    orderNo: `T${process.pid}-${orderSeq}`,
    status: "pending",
    amountFen: 1999,
    gateway: "test-gateway",
    channel: "wechat",
    scene: "jsapi",
    action: {
      type: "wechat",
      params: { appId: "wx1", timeStamp: "1505107369", nonceStr: "n", package: "prepay_id=p", signType: "RSA", paySign: "s" },
    },
    gatewayOrderNo: "G-1",
    description: "两杯咖啡",
    attach: "cart=7",
    openId: "o-1",
    createdAt: "2026-11-22T02:00:00.000Z",
    fulfilment: "none",
    ...overrides,
  };
}
