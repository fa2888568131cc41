/** The five gateways' adapter factories (fubei has two: its merchant and its service-provider level). Each validates its config and returns a GatewayAdapter. */
export { upaas, type UpaasConfig } from "./upaas/adapter.js";
export { lianke, type LiankeConfig, type LiankeItem, type LiankeSigner } from "./lianke/adapter.js";
export { xiangma, type XiangmaConfig } from "./xiangma/adapter.js";
export { fubei, type FubeiConfig } from "./fubei/adapter.js";
export { FUBEI_AGENT_PRESETS, fubeiProvider, type FubeiProviderConfig } from "./fubei/provider.js";
export { VBAO_PLAIN_JSON_CODEC, vbao, type VbaoCodec, type VbaoConfig, type VbaoRsaPadding } from "./vbao/adapter.js";
