// psql's aligned format: a centred header, `-+-` rule, numbers right-aligned, text left, NULL
// empty, and a `(N rows)` footer. Written here because table libraries draw boxes, not this.
export interface Column {
  name: string;
  numeric: boolean;
}

export function renderAligned(columns: Column[], rows: string[][], footer = true): string {
  const width = columns.map((c, i) => Math.max(displayWidth(c.name), ...rows.map((r) => displayWidth(r[i] ?? ""))));
  const cell = (s: string, i: number, align: "left" | "right" | "center") => {
    const pad = width[i] - displayWidth(s);
    if (align === "right") return " ".repeat(pad) + s;
    if (align === "center") return " ".repeat(Math.floor(pad / 2)) + s + " ".repeat(Math.ceil(pad / 2));
    return s + " ".repeat(pad);
  };
  const line = (cells: string[]) => ` ${cells.join(" | ")}`.trimEnd();
  const out = [
    line(columns.map((c, i) => cell(c.name, i, "center"))),
    width.map((w) => "-".repeat(w + 2)).join("+"),
    ...rows.map((r) => line(r.map((v, i) => cell(v ?? "", i, columns[i].numeric ? "right" : "left")))),
  ];
  if (footer) out.push(`(${rows.length} ${rows.length === 1 ? "row" : "rows"})`);
  return out.join("\n");
}

/** Columns as a terminal shows them: Hangul and other wide characters take two cells. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    w += (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) ? 2 : 1;
  }
  return w;
}
