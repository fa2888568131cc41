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

const KEY = "paybridge:pending";
/** Where the order lives when sessionStorage refuses (Safari private mode throws on setItem). */
let inMemory: PendingOrder | undefined;

export function savePendingOrder(order: PendingOrder): void {
  inMemory = order;
  try {
    sessionStorage.setItem(KEY, JSON.stringify(order));
  } catch {
    // kept in memory only: enough for a hand-off, lost across a full navigation
  }
}

export function loadPendingOrder(): PendingOrder | undefined {
  try {
    // Only this module writes the key (same origin), so what parses is a PendingOrder.
    return (JSON.parse(sessionStorage.getItem(KEY) ?? "null") as PendingOrder | null) ?? inMemory;
  } catch {
    return inMemory;
  }
}

export function clearPendingOrder(): void {
  inMemory = undefined;
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // nothing was stored
  }
}
