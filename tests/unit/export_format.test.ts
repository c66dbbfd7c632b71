// The pieces of `pvpipe export` that need no database: CSV fields (and the sink that writes them
// from COPY bytes), the Parquet schema, the manifest's command without a password, and the version
// the manifest records. (The COPY decoders: copy_rows.test.ts.)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { copyField } from "../../f/lib/db/copy.ts";
import { CopyTextRows } from "../../f/lib/db/copy_text_rows.ts";
import type { ExportColumn } from "../../f/lib/export/columns.ts";
import { csvField, CsvSink } from "../../f/lib/export/csv_sink.ts";
import { DATASETS } from "../../f/lib/export/datasets.ts";
import { parquetSchema } from "../../f/lib/export/parquet_sink.ts";
import { exportColumns } from "../../f/lib/export/query.ts";
import { PVPIPE_VERSION } from "../../f/lib/export/version.ts";
import { exportOptions, redactedCommand } from "../../src/cli/commands/export.ts";

describe("CSV fields", () => {
  it("NULL is an empty field, an empty text is quoted, text with separators or quotes is quoted", () => {
    expect(csvField(null, false)).toBe("");
    expect(csvField(null, true)).toBe("");
    expect(csvField("", true)).toBe('""');
    expect(csvField('진주, "북"', true)).toBe('"진주, ""북"""');
    expect(csvField(" 영흥", true)).toBe('" 영흥"');
    expect(csvField("0.1", false)).toBe("0.1");
  });

  it("the sink writes from the COPY bytes exactly what csvField gives for the decoded text", () => {
    // every space String.prototype.trim removes, at either end, inside, and none; quotes, commas, escapes
    const spaces = [" ", "\t", "\v", "\f", "\u00a0", "\u1680", "\u2000", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\ufeff"];
    const texts = ["영흥태양광", "", "a,b", 'say "hi"', "line\nbreak", "cr\r", "tab\tin", "back\\slash", "\\N", "\u200b영흥", "x\u0085", "\u{1f600}", ...spaces.flatMap((w) => [`${w}진주`, `진주${w}`, `진${w}주`, w])];
    const columns: ExportColumn[] = [
      { name: "t", kind: "text", expr: "t", doc: "t" },
      { name: "v", kind: "double", expr: "v", doc: "v" },
    ];
    const rows = texts.flatMap((t, i) => [[t, String(i * 0.25)], [null, null]]);
    const parts: Buffer[] = [];
    const sink = new CsvSink({ write: (b) => parts.push(Buffer.from(b)) }, columns, { bom: true });
    const dec = new CopyTextRows((r) => sink.write(r));
    dec.push(Buffer.from(rows.map((r) => `${r.map(copyField).join("\t")}\n`).join("")));
    dec.end();
    sink.finish();
    const want = `\uFEFFt,v\n${rows.map((r) => `${csvField(r[0], true)},${csvField(r[1], false)}\n`).join("")}`;
    expect(Buffer.concat(parts).toString("utf8")).toBe(want);
  });
});

describe("Parquet schema", () => {
  it("types every column: UTC and KST timestamps, doubles, int32, dates, UTF-8 text", () => {
    const s = Object.fromEntries(parquetSchema(DATASETS.pv_weather.columns).slice(1).map((e) => [e.name, e]));
    expect(s.interval_start_utc.logical_type).toEqual({ type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MILLIS" });
    expect(s.interval_start_kst.logical_type).toEqual({ type: "TIMESTAMP", isAdjustedToUTC: false, unit: "MILLIS" });
    expect(s.ta.type).toBe("DOUBLE");
    expect(s.hogi.type).toBe("INT32");
    expect(s.hourly_valid_from.converted_type).toBe("DATE");
    expect(s.plant_name.converted_type).toBe("UTF8");
  });

  it("--measured-only keeps the measured values and drops the filled ones and their methods", () => {
    const names = exportColumns(DATASETS.pv_weather, true).map((c) => c.name);
    expect(names).toContain("generation");
    expect(names).toContain("ta");
    expect(names.filter((n) => n.includes("fill"))).toEqual([]);
  });
});

describe("the export command line", () => {
  it("records the command with the --db-url password replaced", () => {
    const argv = ["export", "--dataset", "kospo", "--db-url", "postgres://u:s3cr%40t@h:5432/pv", "--start", "2024-06-01"];
    const c = redactedCommand(argv);
    expect(c).not.toContain("s3cr");
    expect(c).toContain("postgres://u:***@h:5432/pv");
    expect(redactedCommand(["export", "--db-url=postgres://u:pw@h/pv"])).not.toContain(":pw@");
    expect(redactedCommand(["export", "--db-url", "not a url with secret"])).not.toContain("secret");
  });

  it("takes the format from --out when --format is not given, and checks the range", () => {
    const base = { dataset: "pv_weather", start: "2024-06-01", end: "2024-06-02" };
    expect(exportOptions.parse({ ...base, out: "x.parquet" }).format).toBe("parquet");
    expect(exportOptions.parse({ ...base }).format).toBe("csv");
    expect(exportOptions.safeParse({ ...base, start: "2024-06-03" }).success).toBe(false);
    expect(exportOptions.safeParse({ ...base, dataset: "weather" }).success).toBe(false);
  });

  it("the manifest's version is package.json's", () => {
    expect(PVPIPE_VERSION).toBe(JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "package.json"), "utf8")).version);
  });
});
