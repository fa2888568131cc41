/** What the demo's tests share: demos closed after each test, and a JSON POST. */
import { afterEach } from "vitest";
import type { startDemo } from "../demo.mjs";

export type RunningDemo = Awaited<ReturnType<typeof startDemo>>;

/** A list to push each started demo onto; registered in a test file, it closes them after each test. */
export function demosClosedAfterEach(): RunningDemo[] {
  const running: RunningDemo[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((demo) => demo.close()));
  });
  return running;
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
