/**
 * Gateway text (a refusal's message, an error code) is untrusted: a gateway may echo the string
 * it signed, which ends in our key. Before such text is kept in an error — and so before it is
 * logged — every secret a signer was made with is cut out, and so is any `key=…`-like tail.
 * The browser never sees gateway text at all (GatewayError.toBody).
 */

/**
 * Secrets of the signers made in this process (adapters' keys); the oldest are forgotten past the
 * bound. With several merchants every merchant's keys are signers, so the bound is for thousands.
 */
const secrets = new Set<string>();
const MAX_SECRETS = 20_000;
/** Shorter secrets are not looked for: they would match ordinary text (and are weak keys anyway). */
const MIN_SECRET_LENGTH = 6;
/** What gateway text is cut to, after redaction. */
const MAX_TEXT_LENGTH = 200;

export const REDACTED = "[redacted]";

/** Remembers a secret so gateway text never carries it; called for every signer made. */
export function registerSecret(secret: string): void {
  if (typeof secret !== "string" || secret.length < MIN_SECRET_LENGTH || secrets.has(secret)) return;
  if (secrets.size >= MAX_SECRETS) secrets.delete(secrets.values().next().value as string);
  secrets.add(secret);
}

/**
 * `name=value` / `name: value` pairs whose name says secret (key, secret, app_secret, password,
 * token, private key...): the value is cut to the end of the pair. Catches the tail of a
 * string-to-sign with a key we were not told about.
 */
// Bounded repetitions only: gateway text is untrusted, and an unbounded `[A-Za-z_]*` around the
// alternation would make a long run of letters cost quadratic time.
const SECRET_PAIR = /((?:^|[^A-Za-z0-9])[A-Za-z_]{0,24}(?:key|secret|password|passwd|token|credential)[A-Za-z_]{0,24}["']?[ \t]{0,8}[=:][ \t]{0,8}["']?)[^&\s,;"'}]+/gi;
/** How much gateway text the patterns are run over (the secrets are cut from all of it first). */
const MAX_SCANNED_LENGTH = 4096;

/** Gateway text fit to log: secrets and secret-named values replaced, control characters dropped, bounded. */
export function redactGatewayText(text: string): string {
  let redacted = text;
  for (const secret of secrets) if (redacted.includes(secret)) redacted = redacted.split(secret).join(REDACTED);
  redacted = redacted.slice(0, MAX_SCANNED_LENGTH).replace(SECRET_PAIR, `$1${REDACTED}`).replace(/[\u0000-\u001f\u007f]+/g, " ");
  if (redacted.length <= MAX_TEXT_LENGTH) return redacted;
  // Never half a character: a cut before a trailing high surrogate drops it too.
  const end = /[\uD800-\uDBFF]/.test(redacted.charAt(MAX_TEXT_LENGTH - 1)) ? MAX_TEXT_LENGTH - 1 : MAX_TEXT_LENGTH;
  return `${redacted.slice(0, end)}…`;
}

/** A gateway's error code, when it looks like one (short, no spaces); else undefined. Never a secret. */
export function safeGatewayCode(code: string | undefined): string | undefined {
  if (code === undefined || !/^[A-Za-z0-9_.:-]{1,64}$/.test(code)) return undefined;
  return redactGatewayText(code) === code ? code : undefined;
}
