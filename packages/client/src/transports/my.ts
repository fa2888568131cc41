import type { Transport } from "./types.js";
import { PayError } from "../errors.js";
import { miniCall } from "../mini-call.js";
import { defaultGlobals, type MiniProgramError, type MyApi } from "../globals.js";

/** A transport on `my.request`, for Alipay mini-programs (which have no fetch). */
export function myTransport(my: MyApi | undefined = defaultGlobals().my): Transport {
  return async ({ method, url, body, headers }) => {
    try {
      const result = await miniCall(my?.request?.bind(my), "my.request", {
        url,
        method,
        // my.request form-encodes an object: JSON goes as text.
        data: body && JSON.stringify(body),
        headers: { "content-type": "application/json", ...headers },
        dataType: "json" as const,
      });
      return { status: result.status, body: result.data };
    } catch (error) {
      // An HTTP error status fails the call (error 19), with the answer attached.
      const failure = (error as PayError).bridgeResult as MiniProgramError | undefined;
      if (typeof failure?.status === "number") return { status: failure.status, body: failure.data };
      throw error;
    }
  };
}
