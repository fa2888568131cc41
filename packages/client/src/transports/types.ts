/** How the client talks HTTP: ky in browsers, `wx.request` / `my.request` in mini-programs. */

export interface TransportRequest {
  method: "GET" | "POST";
  url: string;
  /** Sent as JSON. */
  body?: object;
  /** Extra request headers (the status token). */
  headers?: Record<string, string>;
}

export interface TransportResponse {
  status: number;
  /** The parsed JSON body; undefined when there is none or it is not JSON (a proxy's error page). */
  body: unknown;
}

/** Resolves with any HTTP answer, error statuses included; rejects only when no answer came. */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;
