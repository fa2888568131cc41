/**
 * The private-key side of vbao's RSA codec, for the sandbox: decrypt `reqmsg` (PKCS#1 v1.5
 * type 2, or OAEP-SHA1) and encrypt answers' `data` (PKCS#1 v1.5 type 1, read by the
 * merchant's publicDecrypt), both in whole key-size blocks.
 *
 * Node 20.20 refuses privateDecrypt with RSA_PKCS1_PADDING (CVE-2023-46809, the Marvin
 * attack) unless started with --security-revert. The sandbox therefore decrypts with
 * RSA_NO_PADDING and removes the type 2 padding itself, reading every byte of every block
 * whatever it holds and failing once, at the end, with one message: no early exit that a
 * timing or error text could tell apart. (The sandbox guards test keys; this keeps it honest.)
 */
import { constants, createPrivateKey, privateDecrypt, privateEncrypt, type KeyObject } from "node:crypto";

export type SandboxRsaPadding = "pkcs1" | "oaep";

export function sandboxPrivateKey(base64Der: string): KeyObject {
  return createPrivateKey({ key: Buffer.from(base64Der, "base64"), format: "der", type: "pkcs8" });
}

function blockBytes(key: KeyObject): number {
  return (key.asymmetricKeyDetails?.modulusLength ?? 2048) / 8;
}

/** The message of one PKCS#1 v1.5 type 2 block (EM = 00 02 PS≥8 nonzero 00 M), or null. */
export function pkcs1Type2Unpad(block: Buffer): Buffer | null {
  // Constant shape: one pass over every byte, branch-free arithmetic on the secrets.
  let bad = block[0]! | (block[1]! ^ 2);
  let separator = 0;
  let found = 0;
  for (let i = 2; i < block.length; i++) {
    const isZero = ((block[i]! - 1) >> 8) & 1; // 1 when the byte is 0
    const first = isZero & (found ^ 1);
    separator = separator | (first * i);
    found = found | isZero;
  }
  bad = bad | (found ^ 1) | (separator < 10 ? 1 : 0);
  return bad === 0 ? block.subarray(separator + 1) : null;
}

/** reqmsg → its JSON text; throws one RangeError for any malformed input. */
export function sandboxDecrypt(key: KeyObject, text: string, padding: SandboxRsaPadding = "pkcs1"): string {
  const size = blockBytes(key);
  const cipher = Buffer.from(text, "base64");
  // Bounded: the sandbox's body parser caps the request; here at most 64 blocks.
  if (cipher.length === 0 || cipher.length % size !== 0 || cipher.length > 64 * size) throw new RangeError("reqmsg does not decrypt");
  const parts: Buffer[] = [];
  let failed = false;
  for (let at = 0; at < cipher.length; at += size) {
    const block = cipher.subarray(at, at + size);
    if (padding === "oaep") {
      try {
        parts.push(privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" }, block));
      } catch {
        failed = true;
      }
      continue;
    }
    let raw: Buffer;
    try {
      raw = privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, block);
    } catch {
      failed = true;
      continue;
    }
    const message = pkcs1Type2Unpad(raw);
    if (message === null) failed = true;
    else parts.push(message);
  }
  if (failed) throw new RangeError("reqmsg does not decrypt");
  return Buffer.concat(parts).toString("utf8");
}

/** An answer's `data`: JSON text → PKCS#1 v1.5 type 1 blocks of k − 11 bytes, base64. */
export function sandboxEncrypt(key: KeyObject, json: string): string {
  const size = blockBytes(key) - 11;
  const plain = Buffer.from(json, "utf8");
  const blocks: Buffer[] = [];
  for (let at = 0; at < plain.length || at === 0; at += size) {
    blocks.push(privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, plain.subarray(at, at + size)));
  }
  return Buffer.concat(blocks).toString("base64");
}
