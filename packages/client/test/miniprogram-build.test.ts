/**
 * The mini-program build (dist/miniprogram, package.json "miniprogram") as WeChat DevTools
 * "Build npm" ships it: loaded by `require` in a context that has only `wx` — no fetch, no
 * window, no DOM, no globalThis — and typed against the official miniprogram-api-typings.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { describe, expect, test } from "vitest";

const root = fileURLToPath(new URL("../", import.meta.url));
const built = path.join(root, "dist/miniprogram/index.js");

/** WeChat's module wrapper: the file gets require / module / exports, and `wx` is a global of the context only. */
function requireInMiniProgram(wx: object): Record<string, any> {
  const context = vm.createContext({ wx, setTimeout, clearTimeout, console });
  vm.runInContext("delete globalThis.globalThis", context);
  const module = { exports: {} as Record<string, any> };
  const wrapper = vm.runInContext(`(function (require, module, exports) {\n${readFileSync(built, "utf8")}\n})`, context);
  wrapper((id: string) => {
    throw new Error(`the mini-program build must not require ${id}`);
  }, module, module.exports);
  expect(vm.runInContext("typeof fetch + typeof window + typeof document + typeof globalThis", context)).toBe("undefinedundefinedundefinedundefined");
  return module.exports;
}

const PARAMS = { appId: "wx4d3f3f6fea3febee", timeStamp: "1702607213", nonceStr: "c3061f", package: "prepay_id=wx15", signType: "RSA", paySign: "t/yJ3w==" };

describe("the mini-program build", () => {
  test("package.json points \"miniprogram\" at it", () => {
    const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { miniprogram?: string };
    expect(pkg.miniprogram).toBe("dist/miniprogram");
  });

  test("loads with only wx, pays through wx.request + wx.requestPayment, and confirms with the server", async () => {
    const requests: { method: string; url: string; header: Record<string, string> }[] = [];
    const wx = {
      request(options: any) {
        requests.push({ method: options.method, url: options.url, header: options.header });
        const data =
          options.method === "POST"
            ? { orderNo: "A1", status: "pending", gateway: "fubei", amountFen: 1, channel: "wechat", action: { type: "wechat", params: PARAMS }, statusToken: "tok" }
            : { orderNo: "A1", status: "paid", amountFen: 1 };
        setTimeout(() => {
          options.success({ statusCode: 200, data, header: {}, errMsg: "request:ok" });
          options.complete?.({ errMsg: "request:ok" });
        });
      },
      requestPayment(options: any) {
        setTimeout(() => {
          options.success({ errMsg: "requestPayment:ok" });
          options.complete?.({ errMsg: "requestPayment:ok" });
        });
      },
    };
    const client = requireInMiniProgram(wx);
    expect(Object.keys(client)).toEqual(expect.arrayContaining(["createPayClient", "runLaunchFlow", "wxTransport", "uniTransport", "taroTransport"]));
    const result = await client.createPayClient({ endpoint: "https://shop.test/pay" }).pay({ orderNo: "A1" });
    expect(result).toEqual({ status: "paid", orderNo: "A1", channel: "wechat" });
    expect(requests.map((r) => r.method)).toEqual(["POST", "GET"]);
    expect(requests[1]!.header["x-paybridge-token"]).toBe("tok");
  });

  test("with Taro (whose runtime brings a window of its own) the channel still comes from wx, payment and HTTP from Taro", async () => {
    const used: string[] = [];
    const wx = { requestPayment: () => used.push("wx.requestPayment"), request: () => used.push("wx.request") };
    const client = requireInMiniProgram(wx);
    const Taro = {
      request(options: any) {
        used.push(`Taro.request ${options.method}`);
        const data =
          options.method === "POST"
            ? { orderNo: "A1", status: "pending", gateway: "fubei", amountFen: 1, channel: "wechat", action: { type: "wechat", params: PARAMS }, statusToken: "tok" }
            : { orderNo: "A1", status: "paid", amountFen: 1 };
        setTimeout(() => options.success({ statusCode: 200, data, header: {}, errMsg: "request:ok" }));
      },
      requestPayment(options: any) {
        used.push("Taro.requestPayment");
        setTimeout(() => options.success({ errMsg: "requestPayment:ok" }));
      },
    };
    const result = await client.createPayClient({ endpoint: "https://shop.test/pay", globals: { Taro } }).pay({ orderNo: "A1" });
    expect(result).toMatchObject({ status: "paid", channel: "wechat" });
    expect(used).toEqual(["Taro.request POST", "Taro.requestPayment", "Taro.request GET"]);
  });

  test("@paybridge/client/mini (the same build as a module for uni-app / Taro bundlers) reaches no ky", () => {
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const code = readFileSync(file, "utf8");
      for (const [, spec] of code.matchAll(/from\s*['"]([^'"]+)['"]/g)) {
        // Its one package import is eventemitter3 (plain ES5: no fetch, no DOM), a dependency.
        if (spec === "eventemitter3") continue;
        expect(spec, `${path.relative(root, file)} imports ${spec}`).toMatch(/^\./);
        visit(path.resolve(path.dirname(file), spec!));
      }
    };
    visit(path.join(root, "dist/mini.js"));
    expect(seen.size).toBeGreaterThan(1);
    expect(readFileSync(built, "utf8")).not.toMatch(/require\(/);
  });

  test("its types accept miniprogram-api-typings' wx (signType union included) with no DOM types", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "paybridge-mini-types-"));
    const typings = path.dirname(createRequire(import.meta.url).resolve("miniprogram-api-typings/package.json"));
    writeFileSync(
      path.join(dir, "page.ts"),
      `/// <reference path=${JSON.stringify(path.join(typings, "index.d.ts"))} />
import { createPayClient, wxTransport, runLaunchFlow } from ${JSON.stringify(path.join(root, "dist/miniprogram/index.js"))};
const client = createPayClient({ endpoint: "/pay", transport: wxTransport(wx), globals: { wx } });
void client.pay({ orderNo: "A1" });
void runLaunchFlow({ query: {}, globals: { wx } });
// @ts-expect-error the checker does check this file: an endpoint is a string
createPayClient({ endpoint: 1 });
`,
    );
    // No "DOM" in lib: a DOM type in our declarations would not resolve.
    const compilerOptions = { noEmit: true, strict: true, target: "ES2017", lib: ["ES2017"], types: [], module: "commonjs", skipLibCheck: false };
    writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["page.ts"] }));
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
    const args = [tsc, "-p", path.join(dir, "tsconfig.json")];
    let output = "";
    try {
      execFileSync(process.execPath, args, { encoding: "utf8" });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout);
    }
    expect(output.split("\n").filter((line) => line.trim())).toEqual([]);
  }, 180_000);
});
