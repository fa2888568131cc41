/**
 * RSA envelopes as the Java helpers of Chinese gateways make them: a request text encrypted
 * with the gateway's public key; an answer encrypted with the gateway's private key (PKCS#1
 * v1.5 type 1, what Java's `Cipher(RSA/ECB/PKCS1Padding)` does in ENCRYPT_MODE with a private
 * key), read here with publicDecrypt. RSA encrypts at most one block, so the text is cut into
 * blocks (k − 11 bytes for PKCS#1 v1.5, k − 42 for OAEP-SHA1; k = 256 for RSA-2048) and the
 * cipher blocks are concatenated, then base64. Nothing here names a gateway or a field.
 */
import { constants, createPublicKey, publicDecrypt, publicEncrypt, type KeyObject } from "node:crypto";
import { ConfigError } from "../../errors.js";

/** Turns the text of a request into what is sent, and an answer's encrypted text back into text. */
export interface RsaEnvelopeCodec {
  encode(text: string): string;
  /** Reads an answer's encrypted text; a codec without it expects the answer unencrypted. */
  decode?(text: string): string;
}

/** How requests are padded: PKCS#1 v1.5 (Java's `RSA/ECB/PKCS1Padding`) or OAEP with SHA-1. */
export type RsaPadding = "pkcs1" | "oaep";

/** A PEM public key, or the bare base64 of its DER SubjectPublicKeyInfo (how Java helpers print keys). */
export function rsaPublicKey(text: unknown, option: string): KeyObject {
  if (typeof text !== "string" || text.trim() === "") throw new ConfigError(option, "must be a PEM or base64 RSA public key");
  let key: KeyObject;
  try {
    key = text.includes("-----BEGIN")
      ? createPublicKey(text)
      : createPublicKey({ key: Buffer.from(text.replace(/\s+/g, ""), "base64"), format: "der", type: "spki" });
  } catch {
    throw new ConfigError(option, "must be a PEM or base64 RSA public key");
  }
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (key.asymmetricKeyType !== "rsa" || bits === undefined || bits < 1024) throw new ConfigError(option, "must be an RSA public key");
  return key;
}

/** The codec over a gateway's public key. Decoding is bounded by the input's length (the core caps answers). */
export function rsaEnvelopeCodec(key: KeyObject, padding: RsaPadding = "pkcs1"): RsaEnvelopeCodec {
  const blockBytes = (key.asymmetricKeyDetails?.modulusLength ?? 2048) / 8;
  const rsaPadding = padding === "oaep" ? constants.RSA_PKCS1_OAEP_PADDING : constants.RSA_PKCS1_PADDING;
  const plainBlock = blockBytes - (padding === "oaep" ? 42 : 11);
  return Object.freeze({
    encode(text: string): string {
      const plain = Buffer.from(text, "utf8");
      const blocks: Buffer[] = [];
      for (let at = 0; at < plain.length || at === 0; at += plainBlock) {
        blocks.push(publicEncrypt({ key, padding: rsaPadding, oaepHash: "sha1" }, plain.subarray(at, at + plainBlock)));
      }
      return Buffer.concat(blocks).toString("base64");
    },
    decode(text: string): string {
      const cipher = Buffer.from(text, "base64");
      if (cipher.length === 0 || cipher.length % blockBytes !== 0) throw new RangeError("data is not whole RSA blocks");
      const blocks: Buffer[] = [];
      for (let at = 0; at < cipher.length; at += blockBytes) {
        blocks.push(publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, cipher.subarray(at, at + blockBytes)));
      }
      return Buffer.concat(blocks).toString("utf8");
    },
  });
}
