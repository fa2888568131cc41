/**
 * Wallet WebViews run old engines: Alipay's Android in-app browser reports a UC kernel at
 * Chrome 69, and iOS 12 WKWebViews are Safari 12. Every shipped file must parse as ES2018 and
 * run without the APIs those engines lack. Runs over the built files (the test command builds first).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { gzipSync } from "node:zlib";
import { parse } from "acorn";
import { describe, expect, test } from "vitest";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const jsFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? jsFiles(file) : /\.(c|m)?js$/.test(name) ? [file] : [];
  });

/** Newer than Chrome 69 / iOS 12.1, by the version that brought them (MDN). */
const TOO_NEW = [
  "Object.hasOwn", // Chrome 93
  "Object.fromEntries", // Chrome 73
  ".replaceAll(", // Chrome 85
  "structuredClone", // Chrome 98
  "AbortSignal.timeout", // Chrome 103
  "Promise.allSettled", // Chrome 76
  "Promise.any", // Chrome 85
  ".findLast(", // Chrome 97
];

describe("every dist file is ES2018 for Chrome 69 / iOS 12 WebViews", () => {
  const files = jsFiles(dist);

  test("the build has the IIFE, the module files and the mini-program build", () => {
    const names = files.map((file) => path.relative(dist, file));
    expect(names).toEqual(expect.arrayContaining(["paybridge.iife.js", "index.js", "sandbox.js", "miniprogram/index.js"]));
  });

  test.each(jsFiles(dist).map((file) => [path.relative(dist, file), file]))("%s parses as ES2018", (name, file) => {
    const code = readFileSync(file, "utf8");
    const sourceType = /iife|miniprogram/.test(name) ? "script" : "module";
    expect(() => parse(code, { ecmaVersion: 2018, sourceType })).not.toThrow();
    for (const api of TOO_NEW) expect(code, `${name} calls ${api}`).not.toContain(api);
    // globalThis came in Chrome 71 / iOS 12.2: only ever behind a typeof (the IIFE's is a local name).
    expect(code.replace(/typeof globalThis/g, ""), `${name} reads globalThis`).not.toMatch(/\bglobalThis\b/);
  });

  test("a parse at ES2018 does refuse newer syntax (the check can fail)", () => {
    for (const newer of ["a ?? b", "a?.b", "class A { #x = 1 }", "1_000", "class A { static x = 1 }"]) {
      expect(() => parse(newer, { ecmaVersion: 2018 }), newer).toThrow();
    }
  });

  test("the IIFE is at most 8,000 bytes gzip -9 (never above pingpp-js's 8,064)", () => {
    const size = gzipSync(readFileSync(path.join(dist, "paybridge.iife.js")), { level: 9 }).length;
    expect(size).toBeLessThanOrEqual(8_000);
  });
});

/** A Chrome 69 page: no globalThis, none of the newer built-ins; the WebView's fetch classes. */
function oldEngine(extra: Record<string, unknown>): vm.Context {
  const context = vm.createContext({ fetch, Request, Response, Headers, AbortController, AbortSignal, TextEncoder, URL, URLSearchParams, setTimeout, clearTimeout, console, ...extra });
  vm.runInContext(
    `delete globalThis.Object.hasOwn; delete Object.fromEntries; delete String.prototype.replaceAll;
     delete Array.prototype.at; delete Array.prototype.findLast; delete Promise.allSettled; delete Promise.any;
     delete AbortSignal.any; delete AbortSignal.timeout; this.window = this; delete globalThis.globalThis;`,
    context,
  );
  expect(vm.runInContext("typeof globalThis", context)).toBe("undefined");
  return context;
}

describe("the IIFE in Alipay's Chrome 69 WebView", () => {
  test("loads, defines window.PayBridge, and pays: tradePay 9000 confirmed by the server", async () => {
    const requests: { method: string; url: string; token: string | null }[] = [];
    const serverFetch = async (input: Request): Promise<Response> => {
      await input.text(); // a real fetch sends the body
      requests.push({ method: input.method, url: input.url, token: input.headers.get("x-paybridge-token") });
      const body =
        input.method === "POST"
          ? { orderNo: "A1", status: "pending", gateway: "fubei", amountFen: 1, channel: "alipay", action: { type: "alipay", tradeNO: "T-1" }, statusToken: "tok" }
          : { orderNo: "A1", status: "paid", amountFen: 1 };
      return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
    };
    const listeners: Record<string, (() => void)[]> = {};
    const context = oldEngine({
      navigator: {
        userAgent:
          "Mozilla/5.0 (Linux; U; Android 12; zh-CN) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/69.0.3497.100 UWS/3.22.2.43 Mobile Safari/537.36 Nebula AlipayClient/10.3.20.8000",
      },
      document: {
        addEventListener: (type: string, listener: () => void) => (listeners[type] = [...(listeners[type] ?? []), listener]),
        removeEventListener: () => undefined,
        visibilityState: "visible",
      },
      AlipayJSBridge: { call: (_name: string, _params: object, callback: (result: object) => void) => setTimeout(() => callback({ resultCode: "9000" })) },
    });
    vm.runInContext(readFileSync(path.join(dist, "paybridge.iife.js"), "utf8"), context);
    const result = await vm.runInContext(
      `PayBridge.createPayClient({ endpoint: "https://shop.test/pay", fetch: serverFetch }).pay({ orderNo: "A1" })`,
      Object.assign(context, { serverFetch }),
    );
    expect(result).toEqual({ status: "paid", orderNo: "A1", channel: "alipay" });
    expect(requests.map((r) => r.method)).toEqual(["POST", "GET"]);
    expect(requests[1]!.token).toBe("tok");
  });
});
