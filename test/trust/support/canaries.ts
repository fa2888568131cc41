/**
 * Recognisable secrets: the sandbox and the adapters are configured with these instead of the
 * public sandbox credentials, so finding one in a response or a log line proves a leak.
 */
import { SANDBOX_CREDENTIALS, type SandboxCredentials } from "@paybridge/sandbox";

export const CANARY_CREDENTIALS: SandboxCredentials = {
  upaas: { storeNum: "7000001", key: "CANARY-upaas-key-5f0e1d2c3b4a" },
  lianke: { storeNo: "CANARYSTORE01", key: "CANARY-lianke-key-6a7b8c9d0e1f" },
  xiangma: { instNo: "60000009", mchNo: "Y52212209999", key: "CANARY-xiangma-key-1a2b3c4d5e6f" },
  fubei: { appId: "20990101000000000009", appSecret: "CANARY-fubei-secret-9f8e7d6c5b4a", storeId: 9009, vendorSn: "20990101000000000019", vendorSecret: "CANARY-fubei-vendor-secret-1b2c3d4e" },
  vbao: {
    customerNo: "VB99999999",
    key: "CANARY-vbao-key-0f1e2d3c4b5a",
    // The sandbox's RSA pair: the key pair is public test data, the canary is the MD5 key.
    publicKey: SANDBOX_CREDENTIALS.vbao.publicKey,
    privateKey: SANDBOX_CREDENTIALS.vbao.privateKey,
  },
};

export const CANARY_STATUS_TOKEN_SECRET = "CANARY-status-token-secret-00112233445566778899";
