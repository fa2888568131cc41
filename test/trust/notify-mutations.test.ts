/**
 * Random tampering with a genuine notify, for every gateway: at least 1,000 mutations each
 * (seeded, so a failure names its seed and mutation index and reproduces), none accepted.
 * The only mutations not sent are those whose signed content is the genuine notify's, key by
 * key (support/equivalence.ts says exactly which); they are counted, not silently dropped.
 * At the end the genuine notify is still accepted, so the rejections were not an order the
 * router had stopped listening to.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_CREDENTIALS } from "@paybridge/sandbox";
import { isSignedEquivalent } from "./support/equivalence.js";
import { expectNotifyAccepted, mediaType, recordOf } from "./support/expectations.js";
import { GATEWAY_IDS, orderNumber, secretsOf, startHarness, type Harness } from "./support/harness.js";
import { mutateNotify } from "./support/mutations.js";
import { notifySigner } from "./support/notify-signers.js";
import { seededRandom } from "./support/prng.js";

const MUTATIONS_SENT = 1_000;
const SEED = 0x5eed_2026;
const IN_FLIGHT = 20;

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
  expect(harness.leaks.findSecrets(secretsOf(SANDBOX_CREDENTIALS))).toEqual([]);
});

describe.each(GATEWAY_IDS)("mutations of a %s notify", (gateway) => {
  it(`are all rejected (${MUTATIONS_SENT} sent, seed ${SEED})`, async () => {
    const { rule } = notifySigner(gateway, SANDBOX_CREDENTIALS);
    const { failure } = harness.adapters.get(gateway)?.notifyReply ?? {};
    if (!failure) throw new Error(`no ${gateway} adapter`);
    const orderNo = orderNumber(gateway, "mutants");
    const created = await harness.createOrder(gateway, orderNo);
    const genuine = await harness.captureNotify(gateway, created.gatewayOrderNo as string);
    const before = await recordOf(harness, orderNo);

    const random = seededRandom(SEED + GATEWAY_IDS.indexOf(gateway));
    const mutants: Array<{ index: number; kinds: string[]; body: Buffer }> = [];
    let equivalent = 0;
    for (let index = 0; mutants.length < MUTATIONS_SENT; index += 1) {
      const mutation = mutateNotify(genuine.body, rule.signField, random);
      if (isSignedEquivalent(genuine.body, mutation.body, rule)) equivalent += 1;
      else mutants.push({ index, ...mutation });
    }

    const notRejected: string[] = [];
    // A few in flight at once, for speed; each answer is judged on its own.
    for (let start = 0; start < mutants.length; start += IN_FLIGHT) {
      await Promise.all(
        mutants.slice(start, start + IN_FLIGHT).map(async ({ index, kinds, body }) => {
          const answer = await harness.postNotify(gateway, body, genuine.contentType);
          const rejected =
            answer.status >= 400 &&
            answer.status < 500 &&
            answer.text === failure.body &&
            mediaType(answer.contentType) === mediaType(failure.contentType);
          if (!rejected) {
            notRejected.push(`#${index} [${kinds.join("; ")}] → HTTP ${answer.status} ${answer.text}: ${body.toString("utf8").slice(0, 400)}`);
          }
        }),
      );
    }

    expect(notRejected).toEqual([]);
    expect(await harness.record(orderNo)).toEqual(before);
    expect(harness.onPaidCalls.filter((payment) => payment.orderNo === orderNo)).toEqual([]);
    // Equivalents are the exception (re-cased signs, dropped nulls, whitespace), not the bulk.
    expect(equivalent).toBeLessThan(MUTATIONS_SENT / 5);

    expectNotifyAccepted(harness, gateway, await harness.postNotify(gateway, genuine.body, genuine.contentType));
    expect((await recordOf(harness, orderNo)).status).toBe("paid");
  });
});
