import { describe, expect, it } from "vitest";
import { rawJsonMembers } from "../../../src/gateways/kit/json.js";
import { notifyFields, readNotifyBody } from "../../../src/gateways/kit/notify-body.js";

const json = (text: string, contentType = "application/json") => ({ rawBody: Buffer.from(text), headers: { "content-type": contentType } });

describe("rawJsonMembers: each top-level value's exact source text", () => {
  it("finds values of every kind, braces and quotes inside strings included", () => {
    const text = ' { "a" : 1.50 , "b":"x\\"}y", "c": {"d":[1,{"e":"}"}], "f":"\\u4e2d"} ,"g":null,"h":true, "i":[ ] }';
    expect(Object.fromEntries(rawJsonMembers(text))).toEqual({
      a: "1.50",
      b: '"x\\"}y"',
      c: '{"d":[1,{"e":"}"}], "f":"\\u4e2d"}',
      g: "null",
      h: "true",
      i: "[ ]",
    });
  });
});

describe("readNotifyBody", () => {
  it("signs a nested object and a number as the text sent, strings as their value", () => {
    const { fields, signable } = readNotifyBody(json('{"n": 0.10, "o": { "k" : "\\u4e2d" }, "s": "\\u4e2d"}'));
    expect(fields).toEqual({ n: 0.1, o: { k: "中" }, s: "中" });
    expect(signable).toEqual({ n: "0.10", o: '{ "k" : "\\u4e2d" }', s: "中" });
  });

  it("drops a UTF-8 byte-order mark before a JSON body or a form", () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    expect(notifyFields({ rawBody: Buffer.concat([bom, Buffer.from('{"a":"1"}')]), headers: {} })).toEqual({ a: "1" });
    const form = { rawBody: Buffer.concat([bom, Buffer.from("a=1&b=2")]), headers: { "content-type": "application/x-www-form-urlencoded" } };
    expect(notifyFields(form)).toEqual({ a: "1", b: "2" });
  });

  it("reads a JSON object sent under a form content type as JSON, and a real form as a form", () => {
    expect(notifyFields(json('{"a":"1","b":"x=y&z"}', "application/x-www-form-urlencoded"))).toEqual({ a: "1", b: "x=y&z" });
    expect(notifyFields(json("a=1&b=%7B%7D", "application/x-www-form-urlencoded"))).toEqual({ a: "1", b: "{}" });
  });

  it("refuses a form that repeats a field, and keeps __proto__ a field", () => {
    expect(() => notifyFields(json("a=1&a=2", "application/x-www-form-urlencoded"))).toThrow(/repeats/);
    const fields = notifyFields(json("__proto__=x&a=1", "application/x-www-form-urlencoded"));
    expect(Object.keys(fields)).toEqual(["__proto__", "a"]);
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
  });
});
