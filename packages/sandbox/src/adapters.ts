/** The five adapters configured against a running sandbox: the only place the sandbox meets them. */
import {
  ConfigError,
  fubei,
  fubeiProvider,
  lianke,
  upaas,
  vbao,
  xiangma,
  type FubeiConfig,
  type FubeiProviderConfig,
  type GatewayAdapter,
  type LiankeConfig,
  type UpaasConfig,
  type VbaoConfig,
  type XiangmaConfig,
} from "@paybridge/server-middleware";
import { SANDBOX_CREDENTIALS } from "./credentials.js";

/** Settings to change per adapter (a wxAppId, a signRule to test a mismatch, ...). */
export interface SandboxAdapterOverrides {
  upaas?: Partial<UpaasConfig>;
  lianke?: Partial<LiankeConfig>;
  xiangma?: Partial<XiangmaConfig>;
  fubei?: Partial<FubeiConfig>;
  vbao?: Partial<VbaoConfig>;
}

/** WeChat app ids a sandbox payer "uses" when the browser names none (the demo's desktop browser). */
const SANDBOX_WECHAT = { appId: "wx0sandbox00000001", miniProgramName: "paybridge sandbox" };

/** `sandboxUrl`: where the sandbox is mounted, e.g. `http://127.0.0.1:3000/sandbox`. */
export function sandboxAdapters(sandboxUrl: string, overrides: SandboxAdapterOverrides = {}): GatewayAdapter[] {
  if (typeof sandboxUrl !== "string" || !URL.canParse(sandboxUrl)) {
    throw new ConfigError("sandboxUrl", "must be the absolute URL the sandbox is mounted at, e.g. http://127.0.0.1:3000/sandbox");
  }
  const base = sandboxUrl.replace(/\/+$/, "");
  const credentials = SANDBOX_CREDENTIALS;
  return [
    upaas({
      baseUrl: `${base}/upaas`,
      ...credentials.upaas,
      wxAppId: SANDBOX_WECHAT.appId,
      subAppId: SANDBOX_WECHAT.appId,
      subAppName: SANDBOX_WECHAT.miniProgramName,
      ...overrides.upaas,
    }),
    lianke({ baseUrl: `${base}/lianke`, ...credentials.lianke, appId: SANDBOX_WECHAT.appId, ...overrides.lianke }),
    xiangma({ baseUrl: `${base}/xiangma`, ...credentials.xiangma, ...overrides.xiangma }),
    fubei({ baseUrl: `${base}/fubei/gateway`, appId: credentials.fubei.appId, appSecret: credentials.fubei.appSecret, storeId: credentials.fubei.storeId, ...overrides.fubei }),
    vbao({
      baseUrl: `${base}/vbao`,
      customerNo: credentials.vbao.customerNo,
      key: credentials.vbao.key,
      publicKey: credentials.vbao.publicKey,
      ...overrides.vbao,
    }),
  ];
}

/**
 * fubei's service-provider mode against the sandbox's /gateway/agent: the sandbox's one provider
 * (vendor_sn + vendor secret) acting for `merchantId` — one adapter per merchant, one key for all.
 */
export function sandboxFubeiProvider(sandboxUrl: string, merchantId: number, overrides: Partial<FubeiProviderConfig> = {}): GatewayAdapter {
  if (typeof sandboxUrl !== "string" || !URL.canParse(sandboxUrl)) throw new ConfigError("sandboxUrl", "must be the absolute URL the sandbox is mounted at");
  const { vendorSn, vendorSecret } = SANDBOX_CREDENTIALS.fubei;
  return fubeiProvider({ baseUrl: `${sandboxUrl.replace(/\/+$/, "")}/fubei/gateway/agent`, vendorSn, vendorSecret, merchantId, ...overrides });
}
