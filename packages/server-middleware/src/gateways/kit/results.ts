/** Shaping what an adapter answers the core: state words read through a table, optional fields. */
import type { QueryResult, VerifiedNotify } from "../contract.js";

/** An order state a gateway reports, by the gateway's own word for it. */
export type GatewayStatusTable = Readonly<Record<string, QueryResult["status"]>>;

/** The state a gateway's word means, or undefined for a word the table does not know. */
export function statusOf(table: GatewayStatusTable, word: unknown): QueryResult["status"] | undefined {
  return typeof word === "string" && Object.hasOwn(table, word) ? table[word] : undefined;
}

/** A notify's outcome: a closed order is, to the notify route, a failed payment. */
export function notifyOutcome(status: QueryResult["status"]): VerifiedNotify["outcome"] {
  return status === "closed" ? "failed" : status;
}

/** `{ [key]: value }`, or `{}` when the gateway did not say: spread into a result, the key stays absent. */
export function optionalField<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
