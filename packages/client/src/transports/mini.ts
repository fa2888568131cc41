import { PayError } from "../errors.js";
import type { PayGlobals } from "../platform.js";
import type { Transport } from "../transport.js";
import { myTransport } from "./my.js";
import { wxTransport } from "./wx.js";

/** The default transport without ky: `wx.request` or `my.request` when the page has one. */
export function miniTransport({ wx, my }: PayGlobals): Transport {
  if (wx && wx.request) return wxTransport(wx);
  if (my && my.request) return myTransport(my);
  return () => Promise.reject(new PayError("bridge_unavailable", "no wx.request or my.request here: pass a transport"));
}
