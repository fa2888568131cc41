import { describe, expect, it } from "vitest";
import { verifySign } from "@paybridge/server-middleware";
import { SANDBOX_CREDENTIALS } from "@paybridge/sandbox";
import { startSandbox } from "./support.js";
import { signed, UPAAS_RULE, upaasCreate, withoutSign, XIANGMA_RULE, xiangmaCreate, type Fields } from "./requests.js";

const upaasKey = SANDBOX_CREDENTIALS.upaas.key;
const CREATE = "/upaas/v2/pay/jsapi";
const createRequest = () => signed(upaasCreate(), UPAAS_RULE, upaasKey);

describe("control/fault", () => {
  it("http-500 answers 500 for the next call only, then the gateway behaves", async () => {
    const running = await startSandbox();
    expect((await running.post("/control/fault", { gateway: "upaas", kind: "http-500" })).json).toEqual({ gateway: "upaas", kind: "http-500", times: 1 });
    expect((await running.post(CREATE, createRequest())).status).toBe(500);
    const next = await running.post(CREATE, createRequest());
    expect(next.status).toBe(200);
    expect(next.json.code).toBe("000000");
  });

  it("invalid-json answers unparseable JSON `times` times, and only at that gateway", async () => {
    const running = await startSandbox();
    await running.post("/control/fault", { gateway: "upaas", kind: "invalid-json", times: 2 });
    const xiangma = await running.post("/xiangma/api/openpay/v3/h5pay", signed(xiangmaCreate(), XIANGMA_RULE, SANDBOX_CREDENTIALS.xiangma.key));
    expect(xiangma.json.return_code).toBe("SUCCESS");
    for (let i = 0; i < 2; i += 1) {
      const broken = await running.post(CREATE, createRequest());
      expect(broken.status).toBe(200);
      expect(() => JSON.parse(broken.text) as unknown).toThrow();
    }
    expect((await running.post(CREATE, createRequest())).json.code).toBe("000000");
  });

  it("bad-sign answers a valid-looking response whose signature does not verify", async () => {
    const running = await startSandbox();
    await running.post("/control/fault", { gateway: "upaas", kind: "bad-sign" });
    const { json } = await running.post(CREATE, createRequest());
    const data = json.data as Fields;
    expect(json.code).toBe("000000");
    expect(data.sign).toMatch(/^[0-9a-f]{32}$/);
    expect(verifySign(withoutSign(data), UPAAS_RULE, upaasKey, data.sign)).toBe(false);

    await running.post("/control/fault", { gateway: "xiangma", kind: "bad-sign" });
    const xiangma = (await running.post("/xiangma/api/openpay/v3/h5pay", signed(xiangmaCreate(), XIANGMA_RULE, SANDBOX_CREDENTIALS.xiangma.key))).json;
    expect(xiangma.return_code).toBe("SUCCESS");
    expect(verifySign(withoutSign(xiangma), XIANGMA_RULE, SANDBOX_CREDENTIALS.xiangma.key, xiangma.sign)).toBe(false);
  });

  it("timeout never answers until the sandbox closes", async () => {
    const running = await startSandbox();
    await running.post("/control/fault", { gateway: "upaas", kind: "timeout" });
    let settled = false;
    const hanging = running.post(CREATE, createRequest()).then(
      () => (settled = true),
      () => (settled = true),
    );
    // Another gateway (and the control API) still answers while the call hangs.
    expect((await running.post("/control/fault", { gateway: "lianke", kind: "http-500", times: 1 })).status).toBe(200);
    expect(settled).toBe(false);
    running.sandbox.close();
    await hanging;
    expect(settled).toBe(true);
  });

  it("refuses an unknown kind or a bad count", async () => {
    const running = await startSandbox();
    const kind = await running.post("/control/fault", { gateway: "upaas", kind: "slow" });
    expect(kind.status).toBe(400);
    expect((kind.json.error as Fields).field).toBe("kind");
    expect((await running.post("/control/fault", { gateway: "upaas", kind: "timeout", times: 0 })).status).toBe(400);
  });
});
