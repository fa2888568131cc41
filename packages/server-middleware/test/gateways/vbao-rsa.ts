/**
 * vbao's side of the RSA exchange, written in the test from the 基本规则 page (not from the
 * adapter's codec): a key pair; reqmsg read with the private key (PKCS#1 v1.5 type 2 removed
 * by hand, Node 20 refusing RSA_PKCS1_PADDING for private decryption); `data` encrypted with
 * the private key in 245-byte blocks.
 */
import { constants, generateKeyPairSync, privateDecrypt, privateEncrypt } from "node:crypto";

export const VBAO_TEST_KEYS = generateKeyPairSync("rsa", { modulusLength: 2048 });
export const VBAO_TEST_PUBLIC_PEM = VBAO_TEST_KEYS.publicKey.export({ type: "spki", format: "pem" }).toString();
export const VBAO_TEST_PUBLIC_BASE64 = VBAO_TEST_KEYS.publicKey.export({ type: "spki", format: "der" }).toString("base64");

/** reqmsg → its plaintext blocks, each a PKCS#1 v1.5 type 2 block of 256 bytes. */
export function readReqmsg(reqmsg: string): { json: Record<string, unknown>; blocks: number } {
  const cipher = Buffer.from(reqmsg, "base64");
  if (cipher.length % 256 !== 0) throw new Error(`reqmsg is ${cipher.length} bytes, not whole 256-byte blocks`);
  const parts: Buffer[] = [];
  for (let at = 0; at < cipher.length; at += 256) {
    const block = privateDecrypt({ key: VBAO_TEST_KEYS.privateKey, padding: constants.RSA_NO_PADDING }, cipher.subarray(at, at + 256));
    if (block[0] !== 0 || block[1] !== 2) throw new Error("not a PKCS#1 v1.5 type 2 block");
    const separator = block.indexOf(0, 2);
    if (separator < 10) throw new Error("padding shorter than 8 bytes");
    parts.push(block.subarray(separator + 1));
  }
  return { json: JSON.parse(Buffer.concat(parts).toString("utf8")) as Record<string, unknown>, blocks: cipher.length / 256 };
}

/** An answer's data as vbao sends it: encrypted with the private key, 245-byte blocks, base64. */
export function encryptData(data: unknown): string {
  const plain = Buffer.from(JSON.stringify(data), "utf8");
  const blocks: Buffer[] = [];
  for (let at = 0; at < plain.length; at += 245) {
    blocks.push(privateEncrypt({ key: VBAO_TEST_KEYS.privateKey, padding: constants.RSA_PKCS1_PADDING }, plain.subarray(at, at + 245)));
  }
  return Buffer.concat(blocks).toString("base64");
}
