import { PayError } from "../errors.js";
import type { PayGlobals } from "../globals.js";
import { myTransport } from "./my.js";
import type { Transport } from "./types.js";
import { uniTransport } from "./uni.js";
import { wxTransport } from "./wx.js";

/** A mini-program's default transport (no ky, no fetch): the first of `uni.request`, `Taro.request`, `wx.request`, `my.request` the page has. */
export function miniProgramTransport({ uni, Taro, wx, my }: PayGlobals): Transport {
  if (uni && uni.request) return uniTransport(uni);
  if (Taro && Taro.request) return uniTransport(Taro, "Taro.request");
  if (wx && wx.request) return wxTransport(wx);
  if (my && my.request) return myTransport(my);
  return () => Promise.reject(new PayError("bridge_unavailable", "no wx.request or my.request here: pass a transport"));
}
