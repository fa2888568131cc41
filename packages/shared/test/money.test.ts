import { describe, expect, it } from "vitest";
import {
  MAX_FEN,
  fenStringToFen,
  fenToYuanNumber,
  fenToYuanString,
  isFen,
  yuanNumberToFen,
  yuanStringToFen,
} from "../src/money.js";

describe("fen to yuan", () => {
  it.each([
    [0, "0.00"],
    [1, "0.01"],
    [10, "0.10"],
    [29, "0.29"],
    [100, "1.00"],
    [115, "1.15"],
    [1234, "12.34"],
    [1999, "19.99"],
    [MAX_FEN, "99999999.99"],
  ])("%i fen is %s yuan", (fen, yuan) => {
    expect(fenToYuanString(fen)).toBe(yuan);
    expect(fenToYuanNumber(fen)).toBe(Number(yuan));
    expect(JSON.stringify(fenToYuanNumber(fen))).toBe(String(Number(yuan)));
  });

  it.each([-1, 1.5, Number.NaN, Infinity, MAX_FEN + 1, "1" as unknown as number])("rejects %s", (fen) => {
    expect(() => fenToYuanString(fen)).toThrow(RangeError);
    expect(() => fenToYuanNumber(fen)).toThrow(RangeError);
  });
});

describe("yuan to fen", () => {
  it.each([
    ["0", 0],
    ["0.01", 1],
    ["0.07", 7],
    ["0.1", 10],
    ["0.29", 29],
    ["0.5", 50],
    ["1", 100],
    ["1.15", 115],
    ["12.34", 1234],
    ["19.99", 1999],
    ["99999999.99", MAX_FEN],
  ])("yuan string %s is %i fen", (yuan, fen) => {
    expect(yuanStringToFen(yuan)).toBe(fen);
  });

  // The first five are off by a rounding error when the float is multiplied by 100.
  it.each([
    [0.29, 29],
    [1.15, 115],
    [19.99, 1999],
    [0.57, 57],
    [4.35, 435],
    [0.01, 1],
    [12.3, 1230],
    [100, 10000],
  ])("yuan number %d is %i fen", (yuan, fen) => {
    expect(yuanNumberToFen(yuan)).toBe(fen);
  });

  it.each(["", " 1", "1 ", "1.", ".5", "1.234", "-1", "+1", "1e2", "0x10", "1,00", "abc", "100000000", "1.5.0", "１"])(
    "rejects the yuan string %j",
    (yuan) => {
      expect(() => yuanStringToFen(yuan)).toThrow(RangeError);
    },
  );

  it.each([Number.NaN, Infinity, -Infinity, -0.01, 0.001, 1.005, 1e-7, 1e21, 100_000_000, "1" as unknown as number])(
    "rejects the yuan number %s",
    (yuan) => {
      expect(() => yuanNumberToFen(yuan)).toThrow(RangeError);
    },
  );

  it("round-trips every amount up to 100 yuan exactly", () => {
    for (let fen = 0; fen <= 10_000; fen += 1) {
      expect(yuanStringToFen(fenToYuanString(fen))).toBe(fen);
      expect(yuanNumberToFen(fenToYuanNumber(fen))).toBe(fen);
    }
  });
});

describe("fen strings", () => {
  it.each([
    ["0", 0],
    ["1", 1],
    ["115", 115],
    ["9999999999", MAX_FEN],
  ])("%s is %i fen", (text, fen) => {
    expect(fenStringToFen(text)).toBe(fen);
  });

  it.each(["", "1.0", "-1", "+1", "1e3", " 1", "10000000000", "0x1", "١"])("rejects %j", (text) => {
    expect(() => fenStringToFen(text)).toThrow(RangeError);
  });
});

describe("isFen", () => {
  it("accepts whole fen from 0 to MAX_FEN only", () => {
    expect([0, 1, MAX_FEN].map(isFen)).toEqual([true, true, true]);
    expect([-1, 0.5, MAX_FEN + 1, Number.NaN, "1", null, 2 ** 53].map(isFen)).toEqual([false, false, false, false, false, false, false]);
  });
});
