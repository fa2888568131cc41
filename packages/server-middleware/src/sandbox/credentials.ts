/**
 * Fixed, public test credentials: the sandbox checks request signatures with them and signs
 * its answers and notifies with them. They protect nothing; never use them with a real gateway.
 */
export interface SandboxCredentials {
  upaas: { storeNum: string; key: string };
  lianke: { storeNo: string; key: string };
  xiangma: { instNo: string; mchNo: string; key: string };
  fubei: { appId: string; appSecret: string; storeId: number };
  vbao: { customerNo: string; key: string };
}

export type SandboxGatewayId = keyof SandboxCredentials;

export const SANDBOX_GATEWAY_IDS: readonly SandboxGatewayId[] = ["upaas", "lianke", "xiangma", "fubei", "vbao"];

export const SANDBOX_CREDENTIALS: Readonly<SandboxCredentials> = Object.freeze({
  upaas: Object.freeze({ storeNum: "1000001", key: "sandbox-upaas-key-0123456789abcdef" }),
  lianke: Object.freeze({ storeNo: "SANDBOX0001", key: "sandbox-lianke-key-0123456789abcdef" }),
  xiangma: Object.freeze({ instNo: "60000001", mchNo: "Y52212200002", key: "sandbox-xiangma-key-0123456789abcdef" }),
  fubei: Object.freeze({ appId: "20170601202131300809", appSecret: "sandbox-fubei-secret-0123456789abcdef", storeId: 3239 }),
  vbao: Object.freeze({ customerNo: "VB10000001", key: "sandbox-vbao-key-0123456789abcdef" }),
});

export function isSandboxGatewayId(value: unknown): value is SandboxGatewayId {
  return typeof value === "string" && (SANDBOX_GATEWAY_IDS as readonly string[]).includes(value);
}
