import { describe, expect, it } from "vitest";
import {
  encodeServiceKey,
  normalizeServiceKey,
  queryWithServiceKey,
  redactServiceKey,
  scrubError,
} from "../../f/lib/sources/datagokr/service_key.ts";
import {
  BadPayload,
  InvalidRequest,
  InvalidServiceKey,
  QuotaExceeded,
  ServiceKeyRejected,
  SourceError,
  SourceReturnedHtml,
  SourceUnavailable,
} from "../../f/lib/sources/errors.ts";

const DECODED = "Ab3+xY/z9==";
const ENCODED = "Ab3%2BxY%2Fz9%3D%3D";
const DOUBLE = "Ab3%252BxY%252Fz9%253D%253D";

describe("normalizeServiceKey", () => {
  it("keeps the Decoding form as is", () => {
    expect(normalizeServiceKey(DECODED, "NAMBU_API_KEY")).toBe(DECODED);
  });
  it("decodes the Encoding form once", () => {
    expect(normalizeServiceKey(ENCODED, "NAMBU_API_KEY")).toBe(DECODED);
  });
  it("decodes a key that was encoded twice", () => {
    expect(normalizeServiceKey(DOUBLE, "NAMBU_API_KEY")).toBe(DECODED);
  });
  it("decodes at most twice", () => {
    expect(normalizeServiceKey(encodeURIComponent(DOUBLE), "K")).toBe(ENCODED);
  });
  it("refuses a quote at either end only; a quote inside is part of the key", () => {
    expect(() => normalizeServiceKey(`${DECODED}"`, "K")).toThrow(/wrapped in quotes/);
    expect(() => normalizeServiceKey(`\`${DECODED}`, "K")).toThrow(/wrapped in quotes/);
    expect(normalizeServiceKey(`Ab3"xY/z9==`, "K")).toBe(`Ab3"xY/z9==`);
  });
  it("trims surrounding whitespace and newlines", () => {
    expect(normalizeServiceKey(`  ${ENCODED}\n`, "K")).toBe(DECODED);
  });
  it.each([
    ['"' + DECODED + '"', /wrapped in quotes/],
    ["'" + DECODED + "'", /wrapped in quotes/],
    ["Ab3+x Y/z9==", /whitespace/],
    ["   ", /empty/],
    ["Ab3%ZZ", /percent-encoding/],
  ])("rejects %j naming the variable, never the value", (raw, why) => {
    let err: unknown;
    try {
      normalizeServiceKey(raw, "NAMBU_API_KEY");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidServiceKey);
    const msg = (err as Error).message;
    expect(msg).toMatch(why);
    expect(msg).toContain("NAMBU_API_KEY");
    expect(msg).not.toContain("Ab3"); // every key above starts so
  });
});

describe("encoding exactly once", () => {
  it("encodes + / = once", () => {
    expect(encodeServiceKey(DECODED)).toBe(ENCODED);
  });
  it("builds the query with the key first and encoded once", () => {
    const q = queryWithServiceKey(DECODED, { pageNo: 1, strOrgCd: "997S" });
    expect(q).toBe(`serviceKey=${ENCODED}&pageNo=1&strOrgCd=997S`);
    expect(new URLSearchParams(q).get("serviceKey")).toBe(DECODED);
  });
  it("redacts the key in URLs", () => {
    expect(redactServiceKey(`https://x/getDataService?serviceKey=${ENCODED}&pageNo=1`)).toBe("https://x/getDataService?serviceKey=***&pageNo=1");
    expect(redactServiceKey(`a?pageNo=1&serviceKey=${DECODED}`)).toBe("a?pageNo=1&serviceKey=***");
  });
});

describe("scrubError", () => {
  const scrub = (t: string) => t.replaceAll("KEY", "***");
  it("scrubs an error's message and stack, keeping the error itself", () => {
    const e = new Error("refused KEY");
    const out = scrubError(e, scrub);
    expect(out).toBe(e);
    expect(out.message).toBe("refused ***");
    expect(out.stack).toMatch(/^Error: refused \*\*\*\n/);
    expect(out.stack).not.toContain("KEY");
  });
  it("an error without a stack keeps having none; anything else passes through untouched", () => {
    const e = Object.assign(new Error("KEY"), { stack: undefined });
    expect(scrubError(e, scrub).stack).toBeUndefined();
    expect(scrubError("KEY", scrub)).toBe("KEY");
    expect(scrubError(undefined, scrub)).toBeUndefined();
  });
});

describe("source errors", () => {
  it("ServiceKeyRejected names the variable and explains the encoded/decoded key issue", () => {
    const e = new ServiceKeyRejected("NAMBU_API_KEY", "SERVICE_KEY_IS_NOT_REGISTERED_ERROR", "30");
    expect(e.message).toBe(
      "data.go.kr rejected the service key in NAMBU_API_KEY (SERVICE_KEY_IS_NOT_REGISTERED_ERROR, reason 30): " +
        "check that the key is registered for this API; either the Encoding or the Decoding form works, but the key must not be encoded twice",
    );
    expect(e.retryable).toBe(false);
    expect(e.code).toBe("ServiceKeyRejected");
    expect(e.name).toBe("ServiceKeyRejected");
    expect(e.reasonCode).toBe("30");
    for (const reason of ["31", "32", "20"]) {
      const m = new ServiceKeyRejected("SERVICE_KEY", "X", reason).message;
      expect(m).toContain("SERVICE_KEY");
      expect(m).toContain("must not be encoded twice");
    }
  });
  it("QuotaExceeded says to resume tomorrow after midnight KST with the same command", () => {
    const e = new QuotaExceeded("NAMBU_API_KEY");
    expect(e.message).toMatch(/daily request quota/);
    expect(e.message).toMatch(/tomorrow after midnight KST/);
    expect(e.message).toMatch(/same command/);
    expect(e.retryable).toBe(false);
    expect(e.reasonCode).toBe("22");
  });
  it("every error is a SourceError with a code and a retryable flag", () => {
    const all: SourceError[] = [
      new InvalidServiceKey("K", "is empty"),
      new ServiceKeyRejected("K", "M", "30"),
      new QuotaExceeded("K"),
      new SourceReturnedHtml("S", "r", 200),
      new BadPayload("S", "r", "d"),
      new SourceUnavailable("S", "r", "d"),
      new InvalidRequest("S", "r", "M", "10"),
    ];
    for (const e of all) {
      expect(e).toBeInstanceOf(SourceError);
      expect(e).toBeInstanceOf(Error);
      expect(e.code).toBe(e.constructor.name);
    }
    expect(all.filter((e) => e.retryable).map((e) => e.code)).toEqual(["SourceUnavailable"]);
  });
});
