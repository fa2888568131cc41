/**
 * The order store. Every change is a compare-and-set on `version`, so two requests (or two
 * processes sharing Redis) can never both move an order out of the same state, and the
 * merchant's onPaid runs once per order however notifies race.
 */
import type { Channel, OrderStatus, PayAction, Scene } from "@paybridge/shared";

export interface OrderRecord {
  orderNo: string;
  /** Incremented by every successful compareAndSet; 1 when inserted. */
  version: number;
  status: OrderStatus;
  amountFen: number;
  gateway: string;
  channel: Channel;
  scene: Scene;
  /** Absent while the gateway order is being created. */
  action?: PayAction;
  gatewayOrderNo?: string;
  description?: string;
  attach?: string;
  openId?: string;
  /** ISO 8601. */
  createdAt: string;
  paidAt?: string;
  /**
   * The merchant's onPaid hook for a paid order: `none` not yet run (or it threw),
   * `running` claimed by one caller until `fulfilmentLeaseUntil`, `done` ran without throwing.
   */
  fulfilment: "none" | "running" | "done";
  /** Epoch ms; a `running` claim past this is abandoned (its process died) and may be retaken. */
  fulfilmentLeaseUntil?: number;
  /**
   * The token of the `running` claim: only the run that took it may mark the order done or
   * release it, so a run that outlived its lease cannot end a newer run's claim.
   */
  fulfilmentClaim?: string;
  /** Epoch ms of the last query sent to the gateway for this order (the status route's fallback). */
  lastQueriedAt?: number;
}

export interface OrderStore {
  get(orderNo: string): Promise<OrderRecord | null>;
  /** Stores a new record with version 1. Resolves false, changing nothing, if the order exists. */
  insert(record: Omit<OrderRecord, "version">): Promise<boolean>;
  /**
   * Replaces the record with `next` (version becomes expectedVersion + 1) only if the stored
   * version is still `expectedVersion`. Resolves the stored record, or null if it lost the race.
   */
  compareAndSet(orderNo: string, expectedVersion: number, next: Omit<OrderRecord, "version">): Promise<OrderRecord | null>;
  /** Deletes only if the stored version is still `expectedVersion` (a failed create, so it can be retried). */
  compareAndDelete(orderNo: string, expectedVersion: number): Promise<boolean>;
  /** Releases connections; the router never calls it. */
  close?(): Promise<void>;
}
