/**
 * Money is integer fen (1/100 yuan) everywhere inside paybridge. These helpers convert at a
 * gateway's edge, exactly: by string arithmetic on digits, never by multiplying floats
 * (0.29 * 100 === 28.999999999999996).
 */

/** Largest amount accepted anywhere: 9,999,999,999 fen (lianke's documented bound, 10 digits). */
export const MAX_FEN = 9_999_999_999;

export function isFen(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 && value <= MAX_FEN;
}

function assertFen(fen: number): void {
  if (!isFen(fen)) throw new RangeError(`amount must be an integer number of fen from 0 to ${MAX_FEN}, got ${String(fen)}`);
}

/** 1 → "0.01", 1234 → "12.34", 100 → "1.00". */
export function fenToYuanString(fen: number): string {
  assertFen(fen);
  const digits = String(fen).padStart(3, "0");
  return `${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** 1 → 0.01, 1234 → 12.34. The number is the one JSON.stringify prints as the exact decimal. */
export function fenToYuanNumber(fen: number): number {
  return Number(fenToYuanString(fen));
}

/** "12.34" → 1234, "1" → 100, "0.5" → 50. Throws on anything that is not an exact amount of fen. */
export function yuanStringToFen(yuan: string): number {
  const match = /^(\d{1,8})(?:\.(\d{1,2}))?$/.exec(yuan);
  if (!match) throw new RangeError(`not a yuan amount with at most 2 decimals: ${JSON.stringify(yuan)}`);
  const fen = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  assertFen(fen);
  return fen;
}

/** 0.01 → 1, 12.3 → 1230. Reads the number's shortest decimal form, so 0.29 → 29 exactly. */
export function yuanNumberToFen(yuan: number): number {
  if (typeof yuan !== "number" || !Number.isFinite(yuan) || yuan < 0) {
    throw new RangeError(`not a yuan amount: ${String(yuan)}`);
  }
  return yuanStringToFen(String(yuan));
}

/** "1" → 1; the fen-as-a-string form some gateways use. */
export function fenStringToFen(value: string): number {
  if (!/^\d{1,10}$/.test(value)) throw new RangeError(`not an amount in fen: ${JSON.stringify(value)}`);
  const fen = Number(value);
  assertFen(fen);
  return fen;
}
