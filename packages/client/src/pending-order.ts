import type { Channel } from "@paybridge/shared";

/**
 * What a page needs, after a redirect or a hand-off, to confirm the payment it started.
 * A type, not an interface, so it is the string record the hand-off's URLSearchParams takes.
 */
export type PendingOrder = {
  orderNo: string;
  statusToken: string;
  channel: Channel;
};

/** A saved order older than this is not resumed (its payment page has long expired). */
export const PENDING_ORDER_TTL_MS = 30 * 60 * 1000;

const KEY = "paybridge:pending";
type Saved = PendingOrder & { savedAt: number };
/** Where the order lives when sessionStorage refuses (Safari private mode throws on setItem). */
let inMemory: Saved | undefined;

declare const sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void; removeItem(key: string): void };

export function savePendingOrder(order: PendingOrder): void {
  inMemory = { orderNo: order.orderNo, statusToken: order.statusToken, channel: order.channel, savedAt: Date.now() };
  try {
    sessionStorage.setItem(KEY, JSON.stringify(inMemory));
  } catch {
    // kept in memory only: enough for a hand-off, lost across a full navigation
  }
}

/** The saved order, unless it is older than PENDING_ORDER_TTL_MS (then it is forgotten). */
export function loadPendingOrder(): PendingOrder | undefined {
  let saved = inMemory;
  try {
    // Only this module writes the key (same origin), so what parses is a Saved record.
    saved = (JSON.parse(sessionStorage.getItem(KEY) || "null") as Saved | null) || inMemory;
  } catch {
    // no sessionStorage (a mini-program, a locked-down WebView)
  }
  if (!saved) return undefined;
  const { savedAt, ...order } = saved;
  if (!(Date.now() - savedAt < PENDING_ORDER_TTL_MS)) {
    clearPendingOrder();
    return undefined;
  }
  return order;
}

export function clearPendingOrder(): void {
  inMemory = undefined;
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // nothing was stored
  }
}
