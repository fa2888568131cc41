/**
 * Random mutations of a notify body, as an attacker (or a broken proxy) would make them:
 * byte flips, inserts, deletes and truncations; changed, dropped, added, renamed, duplicated
 * and swapped fields; values of another type; a tampered, re-cased or missing sign; changes
 * inside a nested JSON-string field (fubei's `data`). One to three at a time.
 */
import { formBody, isFormBody, parseNotifyBody } from "./notify-body.js";
import type { Random } from "./prng.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface Mutation {
  /** The operations applied, for the failure message. */
  kinds: string[];
  body: Buffer;
}

const PRINTABLE = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";
const HEX = "0123456789abcdefABCDEF";

function randomValue(random: Random): Json {
  return random.pick<() => Json>([
    () => "",
    () => "0",
    () => "1",
    () => "0.01",
    () => "100",
    () => "SUCCESS",
    () => "PAY_SUCCESS",
    () => "FAIL",
    () => "200",
    () => "支付成功",
    () => "\u0000",
    () => "x".repeat(1 + random.int(3000)),
    () => randomText(random, 1 + random.int(12)),
    () => 0,
    () => 1,
    () => -1,
    () => 200,
    () => 0.01,
    () => 1e21,
    () => 9_999_999_999,
    () => true,
    () => false,
    () => null,
    () => [],
    () => ({}),
    () => ["SUCCESS"],
    () => ({ value: "SUCCESS" }),
  ])();
}

function randomText(random: Random, length: number): string {
  let text = "";
  for (let i = 0; i < length; i += 1) text += PRINTABLE[random.int(PRINTABLE.length)];
  return text;
}

function flipCase(char: string): string {
  const upper = char.toUpperCase();
  return upper === char ? char.toLowerCase() : upper;
}

function changeString(value: string, random: Random): Json {
  const at = random.int(Math.max(1, value.length));
  return random.pick<() => Json>([
    () => value.slice(0, at) + flipCase(value.charAt(at)) + value.slice(at + 1),
    () => value.slice(0, at) + PRINTABLE[random.int(PRINTABLE.length)] + value.slice(at + 1),
    () => value + PRINTABLE[random.int(PRINTABLE.length)],
    () => PRINTABLE[random.int(PRINTABLE.length)] + value,
    () => value.slice(0, at) + value.slice(at + 1),
    () => ` ${value}`,
    () => `${value} `,
    () => value + value,
    () => randomValue(random),
  ])();
}

function changeNumber(value: number, random: Random): Json {
  return random.pick<() => Json>([
    () => value + 1,
    () => value - 1,
    () => value * 100,
    () => value / 100,
    () => -value,
    () => 0,
    () => String(value + 1),
    () => randomValue(random),
  ])();
}

function changeValue(value: Json, random: Random): Json {
  if (typeof value === "string") return changeString(value, random);
  if (typeof value === "number") return changeNumber(value, random);
  return randomValue(random);
}

function parseObject(text: string): JsonObject | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonObject) : null;
  } catch {
    return null;
  }
}

/** Changes to one parsed notify object; each returns the new object (or text, for duplicates). */
function structuralMutation(fields: JsonObject, signField: string, random: Random): { kind: string; text: string } {
  const keys = Object.keys(fields);
  const key = random.pick(keys);
  const copy: JsonObject = structuredClone(fields);
  const serialised = () => JSON.stringify(copy);
  const ops: Array<() => { kind: string; text: string }> = [
    () => {
      copy[key] = changeValue(copy[key] ?? null, random);
      return { kind: `change ${key}`, text: serialised() };
    },
    () => {
      delete copy[key];
      return { kind: `drop ${key}`, text: serialised() };
    },
    () => {
      const name = random.pick(["amount", "total_amount", "status", "trade_state", "result_code", "orderNo", "x", key + "_"]);
      copy[name] = randomValue(random);
      return { kind: `add ${name}`, text: serialised() };
    },
    () => {
      const value = copy[key] ?? null;
      delete copy[key];
      copy[random.pick([key.toUpperCase(), flipCase(key.charAt(0)) + key.slice(1), ` ${key}`, `${key}_`])] = value;
      return { kind: `rename ${key}`, text: serialised() };
    },
    () => {
      const other = random.pick(keys);
      [copy[key], copy[other]] = [copy[other] ?? null, copy[key] ?? null];
      return { kind: `swap ${key} ${other}`, text: serialised() };
    },
    () => {
      const value = copy[key] ?? null;
      copy[key] = random.pick<() => Json>([
        () => [value],
        () => ({ value }),
        () => (typeof value === "string" ? Number(value) : String(value)),
        () => typeof value !== "boolean",
      ])();
      return { kind: `retype ${key}`, text: serialised() };
    },
    () => {
      // A duplicate key: the first of two is overridden (parsers keep the last), the second wins.
      const duplicate = `${JSON.stringify(key)}:${JSON.stringify(changeValue(copy[key] ?? null, random))}`;
      const text = serialised();
      const first = random.next() < 0.5;
      return {
        kind: `duplicate ${key} ${first ? "first" : "last"}`,
        text: first ? `{${duplicate},${text.slice(1)}` : `${text.slice(0, -1)},${duplicate}}`,
      };
    },
    () => {
      const sign = copy[signField];
      if (typeof sign !== "string" || sign.length === 0) return { kind: "sign absent", text: serialised() };
      const at = random.int(sign.length);
      const replacement = random.pick([...HEX].filter((c) => c.toLowerCase() !== sign.charAt(at).toLowerCase()));
      copy[signField] = random.pick<() => Json>([
        () => sign.slice(0, at) + replacement + sign.slice(at + 1),
        () => sign.toUpperCase(),
        () => sign.toLowerCase(),
        () => sign.slice(0, at) + flipCase(sign.charAt(at)) + sign.slice(at + 1),
        () => (sign.slice(0, at) + replacement + sign.slice(at + 1)).toUpperCase(),
        () => sign.slice(0, -1),
        () => `${sign}0`,
        () => "",
        () => null,
        () => [sign],
        () => "0".repeat(sign.length),
        () => sign.split("").reverse().join(""),
      ])();
      return { kind: "tamper sign", text: serialised() };
    },
    () => {
      // Inside a field that is itself JSON text (fubei's `data`), leaving the outer sign as is.
      const nestedKey = keys.find((candidate) => typeof copy[candidate] === "string" && parseObject(copy[candidate] as string));
      if (!nestedKey) {
        copy[key] = changeValue(copy[key] ?? null, random);
        return { kind: `change ${key}`, text: serialised() };
      }
      const nested = parseObject(copy[nestedKey] as string) as JsonObject;
      const inner = structuralMutation(nested, "\u0000no-sign", random);
      copy[nestedKey] = inner.text;
      return { kind: `${nestedKey}: ${inner.kind}`, text: serialised() };
    },
  ];
  return random.pick(ops)();
}

function byteMutation(body: Buffer, random: Random): { kind: string; body: Buffer } {
  const at = random.int(Math.max(1, body.length));
  const randomByte = () => Buffer.from([random.int(256)]);
  return random.pick<() => { kind: string; body: Buffer }>([
    () => {
      const copy = Buffer.from(body);
      if (copy.length > 0) copy[at] = (copy[at] ?? 0) ^ (1 << random.int(8));
      return { kind: `flip bit @${at}`, body: copy };
    },
    () => ({ kind: `insert byte @${at}`, body: Buffer.concat([body.subarray(0, at), randomByte(), body.subarray(at)]) }),
    () => ({ kind: `delete byte @${at}`, body: Buffer.concat([body.subarray(0, at), body.subarray(at + 1)]) }),
    () => {
      const copy = Buffer.from(body);
      copy[at] = PRINTABLE.charCodeAt(random.int(PRINTABLE.length));
      return { kind: `replace byte @${at}`, body: copy };
    },
    () => ({ kind: `truncate @${at}`, body: body.subarray(0, at) }),
    () => {
      const end = Math.min(body.length, at + 1 + random.int(16));
      return { kind: `repeat bytes @${at}`, body: Buffer.concat([body.subarray(0, end), body.subarray(at, end), body.subarray(end)]) };
    },
    () => {
      const other = random.int(Math.max(1, body.length));
      const copy = Buffer.from(body);
      [copy[at], copy[other]] = [copy[other] ?? 0, copy[at] ?? 0];
      return { kind: `swap bytes @${at} @${other}`, body: copy };
    },
  ])();
}

/** One to three random mutations of `original` (a notify body that parses as a JSON object). */
export function mutateNotify(original: string, signField: string, random: Random): Mutation {
  const count = random.next() < 0.8 ? 1 : 2 + random.int(2);
  const kinds: string[] = [];
  let body: Buffer = Buffer.from(original, "utf8");
  // A form notify (fubei) is mutated as fields and sent back as a form.
  const form = isFormBody(original);
  for (let i = 0; i < count; i += 1) {
    const fields = form ? (parseNotifyBody(body.toString("utf8")) as JsonObject | null) : parseObject(body.toString("utf8"));
    if (fields && Object.keys(fields).length > 0 && random.next() < 0.6) {
      const change = structuralMutation(fields, signField, random);
      kinds.push(change.kind);
      const asForm = form ? parseObject(change.text) : null;
      body = Buffer.from(asForm ? formBody(asForm) : change.text, "utf8");
    } else {
      const change = byteMutation(body, random);
      kinds.push(change.kind);
      body = change.body;
    }
  }
  return { kinds, body };
}
