/**
 * Choosing where a new order is paid: the gateway the merchant's routing names for its channel
 * (a table or a function), then the scene that gateway serves the payer in.
 */
import type { Channel, Scene } from "@paybridge/shared";
import { ConfigError, InvalidRequestError } from "../errors.js";
import type { GatewayAdapter } from "../gateways/contract.js";
import type { ResolvedOptions } from "../config/options.js";

export async function routeOrder(
  options: ResolvedOptions,
  adapters: ReadonlyMap<string, GatewayAdapter>,
  order: { orderNo: string; amountFen: number; channel: Channel; scene?: Scene },
): Promise<GatewayAdapter> {
  const { routing } = options;
  const gatewayId = typeof routing === "function" ? await routing(order) : routing[order.channel];
  if (gatewayId === undefined) throw new InvalidRequestError(`channel ${order.channel} is not offered`, "channel");
  const adapter = adapters.get(gatewayId);
  if (!adapter) throw new ConfigError("routing", `chose "${String(gatewayId)}", which is not a configured gateway`);
  if (!adapter.supports[order.channel]?.length) {
    throw new InvalidRequestError(`channel ${order.channel} is not offered by ${adapter.id}`, "channel");
  }
  return adapter;
}

/**
 * The payer's environment (`jsapi` in a wallet's own browser, `mini` in a mini-program, `h5`
 * elsewhere), when the routed gateway can serve it there; else a 400 that names the
 * configured gateways that can, so the merchant knows how to route it.
 */
export function sceneAt(adapters: ReadonlyMap<string, GatewayAdapter>, adapter: GatewayAdapter, channel: Channel, requested: Scene | undefined): Scene {
  const scenes = adapter.supports[channel] ?? [];
  const scene = requested ?? scenes[0];
  if (scene !== undefined && scenes.includes(scene)) return scene;
  const able = [...adapters.values()].filter((other) => other !== adapter && scene !== undefined && other.supports[channel]?.includes(scene));
  const alternative = able.length > 0 ? `; configured gateways that can: ${able.map((other) => other.id).join(", ")}` : "; no configured gateway can";
  throw new InvalidRequestError(
    `${adapter.id} cannot serve ${channel} in scene ${String(scene)} (it serves ${scenes.join(", ")})${alternative}`,
    "scene",
  );
}
