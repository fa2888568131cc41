export { PayClient } from "./pay-client.js";
export { createPayClient } from "./runtimes/browser.js";
export type { PayClientOptions } from "./runtimes/browser.js";
export type { OrderCreatedEvent, PayClientEvents, PayOptions, PayResult } from "./pay-client.js";
export { PayError } from "./errors.js";
export type { PayErrorDetails } from "./errors.js";
export { detectEnvironment } from "./environment.js";
export type { Environment, EnvironmentKind } from "./environment.js";
export { runLaunchFlow } from "./launch-flow.js";
export type { LaunchFlowOptions, LaunchFlowResult } from "./launch-flow.js";
export type { Transport, TransportRequest, TransportResponse } from "./transports/types.js";
export { kyTransport } from "./transports/ky.js";
export type { KyTransportOptions } from "./transports/ky.js";
export { wxTransport } from "./transports/wx.js";
export { myTransport } from "./transports/my.js";
export { taroTransport, uniTransport } from "./transports/uni.js";
export type * from "./globals.js";
export type {
  Channel,
  CreateOrderResponse,
  ErrorCode,
  OrderStatus,
  PayAction,
  Scene,
  WechatPayParams,
} from "@paybridge/shared";
