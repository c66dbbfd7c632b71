import { describe, expect, it } from "vitest";
import { copyField } from "../../f/lib/db/copy.ts";

describe("COPY text fields", () => {
  it("writes NULL for null, undefined and NaN (never a float NaN)", () => {
    expect(copyField(null)).toBe("\\N");
    expect(copyField(undefined)).toBe("\\N");
    expect(copyField(Number.NaN)).toBe("\\N");
    expect(copyField(Number.POSITIVE_INFINITY)).toBe("\\N");
  });
  it("escapes tabs, newlines and backslashes in text", () => {
    expect(copyField("a\tb\nc\\d\re")).toBe("a\\tb\\nc\\\\d\\re");
    expect(copyField("영흥태양광 #3")).toBe("영흥태양광 #3");
  });
  it("writes instants as ISO UTC and numbers as they are", () => {
    expect(copyField(new Date("2024-06-01T00:00:00+09:00"))).toBe("2024-05-31T15:00:00.000Z");
    expect(copyField(0)).toBe("0");
    expect(copyField(8547.6)).toBe("8547.6");
  });
});
