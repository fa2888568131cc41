import { vi } from "vitest";
vi.mock("../../packages/server-middleware/src/signing.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../packages/server-middleware/src/signing.js")>();
  return {
    ...real,
    verifySign: () => true,
    createSigner: (secret: string, rule: import("../../packages/server-middleware/src/signing.js").SignRule) => ({ ...real.createSigner(secret, rule), verify: () => true }),
  };
});
await import("./forged-notify.test.ts");
await import("./notify-mutations.test.ts");
