// @ts-check
/**
 * Which adapter the demo uses for each gateway: the real one when its credentials are in the
 * environment, else the sandbox's. The variable names here are the ones the README lists.
 */
import { fubei, lianke, upaas, vbao, xiangma } from "@paybridge/server-middleware";

/** @typedef {import("@paybridge/server-middleware").GatewayAdapter} GatewayAdapter */
/** @typedef {"upaas" | "lianke" | "xiangma" | "fubei" | "vbao"} GatewayId */
/** @typedef {Readonly<Record<string, string | undefined>>} Env */

/** @type {readonly GatewayId[]} */
export const GATEWAY_IDS = ["upaas", "lianke", "xiangma", "fubei", "vbao"];

/**
 * Per gateway: the variables that must all be set to use the real gateway, and how the adapter
 * is made from them (optional variables are read there too).
 * @type {Record<GatewayId, { required: readonly string[], create: (env: Env) => GatewayAdapter }>}
 */
const REAL_GATEWAYS = {
  upaas: {
    required: ["PAYBRIDGE_UPAAS_STORE_NUM", "PAYBRIDGE_UPAAS_KEY"],
    create: (env) =>
      upaas({
        storeNum: text(env, "PAYBRIDGE_UPAAS_STORE_NUM"),
        key: text(env, "PAYBRIDGE_UPAAS_KEY"),
        ...present({
          baseUrl: env.PAYBRIDGE_UPAAS_BASE_URL,
          wxAppId: env.PAYBRIDGE_UPAAS_WX_APPID,
          subAppId: env.PAYBRIDGE_UPAAS_SUB_APPID,
          subAppName: env.PAYBRIDGE_UPAAS_SUB_APP_NAME,
        }),
      }),
  },
  lianke: {
    required: ["PAYBRIDGE_LIANKE_BASE_URL", "PAYBRIDGE_LIANKE_STORE_NO", "PAYBRIDGE_LIANKE_KEY"],
    create: (env) =>
      lianke({
        baseUrl: text(env, "PAYBRIDGE_LIANKE_BASE_URL"),
        storeNo: text(env, "PAYBRIDGE_LIANKE_STORE_NO"),
        key: text(env, "PAYBRIDGE_LIANKE_KEY"),
        ...present({ appId: env.PAYBRIDGE_LIANKE_APPID, operator: env.PAYBRIDGE_LIANKE_OPERATOR }),
      }),
  },
  xiangma: {
    required: ["PAYBRIDGE_XIANGMA_INST_NO", "PAYBRIDGE_XIANGMA_MCH_NO", "PAYBRIDGE_XIANGMA_KEY"],
    create: (env) =>
      xiangma({
        instNo: text(env, "PAYBRIDGE_XIANGMA_INST_NO"),
        mchNo: text(env, "PAYBRIDGE_XIANGMA_MCH_NO"),
        key: text(env, "PAYBRIDGE_XIANGMA_KEY"),
        ...present({ baseUrl: env.PAYBRIDGE_XIANGMA_BASE_URL }),
      }),
  },
  fubei: {
    required: ["PAYBRIDGE_FUBEI_APP_ID", "PAYBRIDGE_FUBEI_APP_SECRET", "PAYBRIDGE_FUBEI_STORE_ID"],
    // store_id and cashier_id are integers at fubei; the adapter rejects a non-integer by name.
    create: (env) =>
      fubei({
        appId: text(env, "PAYBRIDGE_FUBEI_APP_ID"),
        appSecret: text(env, "PAYBRIDGE_FUBEI_APP_SECRET"),
        storeId: Number(text(env, "PAYBRIDGE_FUBEI_STORE_ID")),
        ...present({ baseUrl: env.PAYBRIDGE_FUBEI_BASE_URL }),
        ...(env.PAYBRIDGE_FUBEI_CASHIER_ID ? { cashierId: Number(env.PAYBRIDGE_FUBEI_CASHIER_ID) } : {}),
      }),
  },
  vbao: {
    // vbao encrypts every request with its RSA public key (PEM or base64 DER).
    required: ["PAYBRIDGE_VBAO_BASE_URL", "PAYBRIDGE_VBAO_CUSTOMER_NO", "PAYBRIDGE_VBAO_KEY", "PAYBRIDGE_VBAO_PUBLIC_KEY"],
    create: (env) =>
      vbao({
        baseUrl: text(env, "PAYBRIDGE_VBAO_BASE_URL"),
        customerNo: text(env, "PAYBRIDGE_VBAO_CUSTOMER_NO"),
        key: text(env, "PAYBRIDGE_VBAO_KEY"),
        publicKey: text(env, "PAYBRIDGE_VBAO_PUBLIC_KEY"),
      }),
  },
};

/** @param {string} value @returns {value is GatewayId} */
export function isGatewayId(value) {
  return /** @type {readonly string[]} */ (GATEWAY_IDS).includes(value);
}

/**
 * The real adapter for `id` when all its required variables are set, null when none is set.
 * Some but not all set is a mistake worth stopping for, not a silent fall back to the sandbox.
 * @param {GatewayId} id
 * @param {Env} env
 * @returns {GatewayAdapter | null}
 */
export function realAdapter(id, env) {
  const { required, create } = REAL_GATEWAYS[id];
  const missing = required.filter((name) => !env[name]);
  if (missing.length === required.length) return null;
  if (missing.length > 0) throw new Error(`${id}: set ${missing.join(", ")} too, or none of its credentials to use the sandbox`);
  return create(env);
}

/** @param {Env} env @param {string} name */
function text(env, name) {
  return env[name] ?? "";
}

/**
 * The entries that are set, so unset variables leave the adapter's defaults alone.
 * @template {Record<string, string | undefined>} T
 * @param {T} values
 * @returns {{ [K in keyof T]?: string }}
 */
function present(values) {
  return /** @type {{ [K in keyof T]?: string }} */ (Object.fromEntries(Object.entries(values).filter(([, value]) => value)));
}
