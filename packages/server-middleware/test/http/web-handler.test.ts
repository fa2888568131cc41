/**
 * The web-standard handler called directly with `new Request(...)`, as Next.js route
 * handlers, Hono, Bun and Deno call it (the contract tests also run it behind a Node server).
 */
import { describe, expect, it } from "vitest";
import { STATUS_TOKEN_HEADER } from "@paybridge/shared";
import { paybridgeHandler, type PaybridgeHandlerOptions } from "@paybridge/server-middleware/web";
import { fakeGateway, STATUS_TOKEN_SECRET } from "../support/fake-adapter.js";

function setup(overrides: Partial<PaybridgeHandlerOptions> = {}) {
  const gateway = fakeGateway();
  const seen: Request[] = [];
  const paid: string[] = [];
  const handler = paybridgeHandler({
    gateways: [gateway.adapter],
    routing: { wechat: "fake" },
    publicUrl: "https://shop.example/api/pay",
    statusTokenSecret: STATUS_TOKEN_SECRET,
    resolveOrder: ({ orderNo, req }) => {
      seen.push(req);
      return { amountFen: 100, attach: orderNo };
    },
    onPaid: ({ orderNo }) => void paid.push(orderNo),
    logger: { info() {}, warn() {}, error() {} },
    ...overrides,
  });
  return { handler, gateway, seen, paid };
}

const post = (url: string, body: string, contentType = "application/json") =>
  new Request(url, { method: "POST", headers: { "content-type": contentType }, body });

describe("paybridgeHandler(options)", () => {
  it("creates, settles a notify and answers the status, under the path of publicUrl", async () => {
    const { handler, gateway, seen, paid } = setup();
    const created = await handler(post("https://shop.example/api/pay/orders", JSON.stringify({ orderNo: "W1" })));
    expect(created.status).toBe(201);
    expect(created.headers.get("cache-control")).toBe("no-store");
    const { statusToken } = (await created.json()) as { statusToken: string };
    // resolveOrder gets the fetch API's Request, for the merchant's session or auth.
    expect(seen[0]).toBeInstanceOf(Request);
    expect(seen[0]?.url).toBe("https://shop.example/api/pay/orders");

    const notify = await handler(post("https://shop.example/api/pay/notify/fake", gateway.notify({ orderNo: "W1", amountFen: 100 }), "text/plain"));
    expect([notify.status, await notify.text()]).toEqual([200, "SUCCESS"]);
    expect(paid).toEqual(["W1"]);

    const status = await handler(new Request("https://shop.example/api/pay/orders/W1", { headers: { [STATUS_TOKEN_HEADER]: statusToken } }));
    expect(await status.json()).toMatchObject({ orderNo: "W1", status: "paid" });
  });

  it("answers 404 outside its routes and its base path", async () => {
    const { handler } = setup();
    for (const url of ["https://shop.example/orders", "https://shop.example/api/payments/orders", "https://shop.example/api/pay/other"]) {
      const res = await handler(post(url, JSON.stringify({ orderNo: "W2" })));
      expect([url, res.status]).toEqual([url, 404]);
    }
  });

  it("takes a basePath when the routes sit elsewhere than publicUrl's path", async () => {
    const { handler } = setup({ basePath: "/" });
    const res = await handler(post("http://localhost:3000/orders", JSON.stringify({ orderNo: "W3" })));
    expect(res.status).toBe(201);
  });

  it("refuses a create body over the limit without reading it all", async () => {
    const { handler, gateway } = setup({ bodyLimit: 64 });
    const res = await handler(post("https://shop.example/api/pay/orders", JSON.stringify({ orderNo: "W4", padding: "x".repeat(200) })));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "invalid_request", field: "body" } });
    expect(gateway.createCalls).toHaveLength(0);
  });

  it("exposes the same events and store as the router", async () => {
    const { handler } = setup();
    const created: string[] = [];
    handler.events.on("order.created", ({ orderNo }) => created.push(orderNo));
    await handler(post("https://shop.example/api/pay/orders", JSON.stringify({ orderNo: "W5" })));
    expect(created).toEqual(["W5"]);
    expect(await handler.store.get("W5")).toMatchObject({ orderNo: "W5", status: "pending" });
  });
});

describe("the ./web entry", () => {
  it("imports no Express at run time (Next.js, Hono, Bun and Deno users need not install it)", async () => {
    const { readFile } = await import("node:fs/promises");
    const { dirname, resolve } = await import("node:path");
    const { fileURLToPath } = await import("node:url");
    const seen = new Set<string>();
    const packages = new Set<string>();
    const walk = async (file: string): Promise<void> => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = await readFile(file, "utf8");
      // Value imports and re-exports; `import type` vanishes at compile time.
      for (const [, specifier = ""] of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+"([^"]+)"/gm)) {
        if (specifier.startsWith(".")) await walk(resolve(dirname(file), specifier.replace(/\.js$/, ".ts")));
        else packages.add(specifier);
      }
    };
    await walk(fileURLToPath(new URL("../../src/web.ts", import.meta.url)));
    expect(seen.size).toBeGreaterThan(5);
    expect([...packages].filter((name) => !name.startsWith("node:")).sort()).toEqual(["@opentelemetry/api", "@paybridge/shared"]);
  });
});
