// The mini-program build (package.json "miniprogram": CommonJS, ES2017, no ky, no DOM): for
// WeChat DevTools "Build npm", Alipay, uni-app and Taro mini-programs.
import { PayClient as CorePayClient, type PayClientOptions } from "./client.js";
import { miniGlobals } from "./platform.js";
import { miniTransport } from "./transports/mini.js";
import { uniTransport } from "./transports/uni.js";

/** The mini-program client: HTTP by `uni.request` / `Taro.request` / `wx.request` / `my.request` (in that order) unless a transport is given. */
export class PayClient extends CorePayClient {
  constructor(options: PayClientOptions) {
    // Taro provides a `window` of its own: read wx / my / uni directly, the caller's globals on top.
    const globals = { ...miniGlobals(), ...options.globals };
    const { uni, Taro } = globals;
    const fallback = uni && uni.request ? uniTransport(uni) : Taro && Taro.request ? uniTransport(Taro, "Taro.request") : miniTransport(globals);
    super({ ...options, globals, transport: options.transport || fallback });
  }
}

export function createPayClient(options: PayClientOptions): PayClient {
  return new PayClient(options);
}

export type { OrderCreatedEvent, PayClientEvents, PayClientOptions, PayOptions, PayResult } from "./client.js";
export { PayError } from "./errors.js";
export type { PayErrorDetails } from "./errors.js";
export { detectEnvironment } from "./environment.js";
export type { Environment, EnvironmentKind } from "./environment.js";
export { runLaunchFlow } from "./launch-flow.js";
export type { LaunchFlowOptions, LaunchFlowResult } from "./launch-flow.js";
export type { Transport, TransportRequest, TransportResponse } from "./transport.js";
export { wxTransport } from "./transports/wx.js";
export { myTransport } from "./transports/my.js";
export { taroTransport, uniTransport } from "./transports/uni.js";
export type * from "./platform.js";
export type { Channel, CreateOrderResponse, ErrorCode, OrderStatus, PayAction, Scene, WechatPayParams } from "@paybridge/shared";
