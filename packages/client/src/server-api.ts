import {
  SERVER_ERROR_STATUS,
  STATUS_TOKEN_HEADER,
  type CreateOrderRequest,
  type CreateOrderResponse,
  type OrderStatusResponse,
  type ServerErrorCode,
} from "@paybridge/shared";
import { PayError } from "./errors.js";
import type { Transport, TransportRequest } from "./transports/types.js";

/** The paybridge server's two client routes. */
export interface ServerApi {
  createOrder(request: CreateOrderRequest): Promise<CreateOrderResponse>;
  orderStatus(orderNo: string, statusToken: string): Promise<OrderStatusResponse>;
}

export function serverApi(endpoint: string, transport: Transport): ServerApi {
  const base = endpoint.replace(/\/+$/, "");
  return {
    createOrder: (body) => call<CreateOrderResponse>(transport, { method: "POST", url: `${base}/orders`, body }),
    orderStatus: (orderNo, statusToken) =>
      call<OrderStatusResponse>(transport, {
        method: "GET",
        // In a header, not the URL: access logs keep URLs.
        url: `${base}/orders/${encodeURIComponent(orderNo)}`,
        headers: { [STATUS_TOKEN_HEADER]: statusToken },
      }),
  };
}

/** Sends a request; any non-2xx answer becomes a PayError with the server's code, status and body. */
export async function call<Body>(transport: Transport, request: TransportRequest): Promise<Body> {
  let response;
  try {
    response = await transport(request);
  } catch (error) {
    throw new PayError("network_error", `${request.method} ${request.url} failed`, { cause: error });
  }
  const { status, body } = response;
  if (status >= 200 && status < 300) return body as Body;
  const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  // An answer that is not paybridge's (a proxy's error page) counts as `internal`.
  const code = error?.code && Object.prototype.hasOwnProperty.call(SERVER_ERROR_STATUS, error.code) ? (error.code as ServerErrorCode) : "internal";
  throw new PayError(code, error?.message ?? `HTTP ${status}`, { status, body });
}
