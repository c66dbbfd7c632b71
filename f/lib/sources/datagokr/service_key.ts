// data.go.kr issues every key in two forms: "Encoding" (percent-encoded, has %2B %2F %3D) and
// "Decoding" (raw, has + / =). HTTP clients that encode params double-encode the Encoding form and the
// gateway answers SERVICE_KEY_IS_NOT_REGISTERED (DOMAIN §1.2). So: normalise whatever the environment
// holds to the decoded form once, and encode it exactly once when the query string is built by hand.
import { InvalidServiceKey } from "../errors.ts";

const stillEncoded = /%[0-9A-F]{2}/i; // e.g. %2B left after one decode: the key was encoded twice

/** The decoded key from either form (a key encoded twice is decoded twice). Errors name `variable`, never the value. */
export function normalizeServiceKey(raw: string, variable: string): string {
  const key = raw.trim();
  if (key === "") throw new InvalidServiceKey(variable, "is empty");
  if (/^["'`]|["'`]$/.test(key)) throw new InvalidServiceKey(variable, "is wrapped in quotes");
  if (/\s/.test(key)) throw new InvalidServiceKey(variable, "contains whitespace inside the key");
  if (!key.includes("%")) return key;
  let decoded = decodeOnce(key, variable);
  if (stillEncoded.test(decoded)) decoded = decodeOnce(decoded, variable);
  return decoded;
}

function decodeOnce(s: string, variable: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new InvalidServiceKey(variable, "contains a '%' that is not valid percent-encoding");
  }
}

/** The query-string form of a decoded key: encoded exactly once. */
export function encodeServiceKey(decoded: string): string {
  return encodeURIComponent(decoded);
}

/** `serviceKey=<encoded once>&k=v…`, built by hand so no HTTP client re-encodes the key. */
export function queryWithServiceKey(decodedKey: string, params: Record<string, string | number>): string {
  const rest = Object.entries(params).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return [`serviceKey=${encodeServiceKey(decodedKey)}`, ...rest].join("&");
}

/** Hide the key in any URL or text that may be reported. */
export function redactServiceKey(text: string): string {
  return text.replace(/(serviceKey=)[^&\s"'<>)]*/gi, "$1***");
}

/** The same error with `scrub` applied to its message and stack (other values pass through). */
export function scrubError<E>(e: E, scrub: (text: string) => string): E {
  if (e instanceof Error) {
    e.message = scrub(e.message);
    if (e.stack) e.stack = scrub(e.stack);
  }
  return e;
}
