// psql's aligned format, as `pvpipe sql` and `pvpipe runs` print it.
import { describe, expect, it } from "vitest";
import { displayWidth, renderAligned } from "../../src/cli/table.ts";

describe("renderAligned", () => {
  it("centres headers, right-aligns numbers, left-aligns text, leaves NULL empty, counts rows", () => {
    const out = renderAligned(
      [{ name: "plant", numeric: false }, { name: "n", numeric: true }, { name: "note", numeric: false }],
      [["997S", "12", ""], ["8760", "3", "x"]],
    );
    expect(out).toBe([" plant | n  | note", "-------+----+------", " 997S  | 12 |", " 8760  |  3 | x", "(2 rows)"].join("\n"));
  });

  it("counts Hangul as two columns, as a terminal shows it", () => {
    expect(displayWidth("부산복합")).toBe(8);
    expect(displayWidth("997S-1")).toBe(6);
    const out = renderAligned([{ name: "name", numeric: false }, { name: "id", numeric: false }], [["부산", "a"], ["abcde", "b"]]);
    expect(out.split("\n").slice(2, 4)).toEqual([" 부산  | a", " abcde | b"]);
    expect(renderAligned([{ name: "x", numeric: true }], [["1"]]).endsWith("(1 row)")).toBe(true);
  });
});
