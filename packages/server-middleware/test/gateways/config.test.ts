import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/errors.js";
import { fubei, lianke, upaas, vbao, xiangma } from "../../src/gateways/index.js";
import type { GatewayAdapter } from "../../src/gateways/contract.js";
import { fakeHttp, jsonNotify } from "./helpers.js";
import { VBAO_TEST_PUBLIC_PEM } from "./vbao-rsa.js";

const SECRET = "s3cret-never-shown-0123456789";

/** Each factory with a valid config, and the name of its secret option. */
const FACTORIES: ReadonlyArray<[string, (overrides: Record<string, unknown>) => GatewayAdapter, string, Record<string, unknown>]> = [
  ["upaas", (o) => upaas({ storeNum: "1234567", key: SECRET, ...o } as never), "key", { storeNum: "1234567" }],
  ["lianke", (o) => lianke({ baseUrl: "https://lianke.test", storeNo: "S1", key: SECRET, ...o } as never), "key", { storeNo: "S1" }],
  ["xiangma", (o) => xiangma({ instNo: "I1", mchNo: "M1", key: SECRET, ...o } as never), "key", { mchNo: "M1" }],
  ["fubei", (o) => fubei({ appId: "A1", appSecret: SECRET, storeId: 3239, ...o } as never), "appSecret", { storeId: 3239 }],
  ["vbao", (o) => vbao({ baseUrl: "https://vbao.test", customerNo: "C1", key: SECRET, publicKey: VBAO_TEST_PUBLIC_PEM, ...o } as never), "key", { customerNo: "C1" }],
];

describe.each(FACTORIES)("%s configuration", (gateway, make, secretOption, required) => {
  const [requiredOption] = Object.keys(required) as [string];

  it("builds an adapter with the gateway's id, or the given one", () => {
    expect(make({}).id).toBe(gateway);
    expect(make({ id: `${gateway}-hk` }).id).toBe(`${gateway}-hk`);
  });

  it(`throws ConfigError naming gateways.${gateway}.${requiredOption} and .${secretOption}`, () => {
    expect(() => make({ [requiredOption]: undefined })).toThrow(ConfigError);
    expect(() => make({ [requiredOption]: undefined })).toThrow(expect.objectContaining({ option: `gateways.${gateway}.${requiredOption}` }));
    if (gateway !== "lianke") {
      expect(() => make({ [secretOption]: "" })).toThrow(expect.objectContaining({ option: `gateways.${gateway}.${secretOption}` }));
    }
    expect(() => make({ baseUrl: "ftp://x" })).toThrow(expect.objectContaining({ option: `gateways.${gateway}.baseUrl` }));
  });

  it("keeps the secret out of the adapter's properties, its printout and its errors", async () => {
    const adapter = make({});
    expect(JSON.stringify(adapter)).not.toContain(SECRET);
    expect(inspect(adapter, { depth: 10, showHidden: true })).not.toContain(SECRET);
    const failures: unknown[] = [];
    try {
      adapter.verifyNotify(jsonNotify({ anything: SECRET }));
    } catch (error) {
      failures.push(error);
    }
    const { http } = fakeHttp(() => JSON.stringify({ oops: true }));
    const channel = Object.keys(adapter.supports)[0] as "wechat";
    const scene = adapter.supports[channel]?.[0] ?? "h5";
    await adapter
      .createOrder({ orderNo: "A1", amountFen: 1, channel, scene, openId: "o1", appId: "wx1", notifyUrl: "https://x.test/n" }, http)
      .catch((error: unknown) => failures.push(error));
    expect(failures).toHaveLength(2);
    for (const failure of failures) expect(inspect(failure)).not.toContain(SECRET);
  });
});

describe("supported channels and scenes follow docs/gateways.md", () => {
  it.each([
    ["upaas", { wechat: ["jsapi", "mini"], alipay: ["jsapi", "mini"], unionpay: ["h5"] }],
    ["lianke", { wechat: ["jsapi", "mini"], alipay: ["jsapi"] }],
    ["xiangma", { wechat: ["h5", "jsapi"], alipay: ["h5", "jsapi"], unionpay: ["h5", "jsapi"] }],
    ["fubei", { wechat: ["mini"], alipay: ["jsapi"] }],
    ["vbao", { wechat: ["h5", "jsapi", "mini"], alipay: ["h5", "jsapi", "mini"] }],
  ])("%s", (gateway, supports) => {
    const entry = FACTORIES.find(([id]) => id === gateway);
    expect(entry?.[1]({}).supports).toEqual(supports);
  });
});
