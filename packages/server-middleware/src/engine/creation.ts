/**
 * The pending record without an action is a claim on creating the gateway order: the request
 * that inserted it creates it, and others posting the same order wait for it. A claim whose
 * creator failed is deleted, and one whose creator died is taken over, by compare-and-delete.
 */
import type { ResolvedOptions } from "../config/options.js";
import type { OrderRecord } from "../store/contract.js";

/** How often a request for an order another request is creating looks again. */
const CREATION_POLL_MS = 25;

/** After a failed create: delete the record so the order can be posted again. */
export async function discardUncreated(options: ResolvedOptions, orderNo: string): Promise<void> {
  for (;;) {
    const current = await options.store.get(orderNo);
    if (!current || current.status !== "pending" || current.action) return;
    if (await options.store.compareAndDelete(orderNo, current.version)) return;
  }
}

/** Waits while another request creates the gateway order; null if the record went away. */
export async function awaitCreated(options: ResolvedOptions, orderNo: string): Promise<OrderRecord | null> {
  // A creator waits at most two gateway requests (vbao's mini scene sends two); past that it died.
  const creationLeaseMs = 2 * options.timeoutMs + 1_000;
  for (;;) {
    const current = await options.store.get(orderNo);
    if (!current || current.action || current.status !== "pending") return current;
    if (Date.now() - Date.parse(current.createdAt) > creationLeaseMs) {
      if (await options.store.compareAndDelete(orderNo, current.version)) return null;
      continue;
    }
    await new Promise((resolve) => setTimeout(resolve, CREATION_POLL_MS));
  }
}
