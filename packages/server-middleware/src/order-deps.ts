/**
 * What the order service (src/orders.ts) shares with the modules it delegates to
 * (src/fulfilment.ts, src/query-fallback.ts): its options, adapters and event emitter, and its
 * own compare-and-set loop, HTTP clients, events and fault logging. Built once by the service,
 * so its internals stay private.
 */
import type { PaybridgeError } from "./errors.js";
import type { LifecycleDeps } from "./lifecycle.js";
import type { PaybridgeEvents } from "./events.js";
import type { OrderRecord } from "./store/types.js";
import type { RecordFields, Transition } from "./transition.js";

export interface OrderDeps extends Pick<LifecycleDeps, "options" | "adapters" | "httpFor" | "emit" | "logError"> {
  readonly events: PaybridgeEvents;
  /** The order service's compare-and-set loop (OrderService #transition). */
  transition(orderNo: string, change: (current: OrderRecord) => Partial<RecordFields> | undefined, from?: OrderRecord): Promise<Transition>;
  reportGatewayError(gateway: string, orderNo: string, operation: "create" | "query", error: PaybridgeError): void;
}
