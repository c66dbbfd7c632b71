// The pieces of `pvpipe export` that need no database: decoding COPY text rows (the inverse of
// copyField), CSV fields, the Parquet schema, the manifest's command without a password, and the
// version the manifest records.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { copyField, CopyTextRows, decodeCopyField } from "../../f/lib/db/copy.ts";
import { csvField } from "../../f/lib/export/csv_sink.ts";
import { DATASETS } from "../../f/lib/export/datasets.ts";
import { parquetSchema } from "../../f/lib/export/parquet_sink.ts";
import { exportColumns } from "../../f/lib/export/query.ts";
import { PVPIPE_VERSION } from "../../f/lib/export/version.ts";
import { exportOptions, redactedCommand } from "../../src/cli/commands/export.ts";

describe("COPY text rows", () => {
  it("decodes what copyField encodes, NULL included", () => {
    const values = ["a\tb\nc\\d\re", "영흥태양광 #3", "", "\\N", "plain"];
    expect(values.map((v) => decodeCopyField(copyField(v)))).toEqual(values);
    expect(decodeCopyField(copyField(null))).toBeNull();
  });

  it("splits rows exactly whatever the chunking, even inside a multi-byte character", () => {
    const rows = [["한국남부발전", "\\N", "1.5"], ["a\\tb", "x", "-0"]];
    const bytes = Buffer.from(`${rows.map((r) => r.join("\t")).join("\n")}\n`, "utf8");
    for (const cut of [1, 3, 4, 5, 17, bytes.length - 1]) {
      const got: (string | null)[][] = [];
      const dec = new CopyTextRows((f) => got.push(f));
      dec.push(bytes.subarray(0, cut));
      dec.push(bytes.subarray(cut));
      dec.end();
      expect(got, `cut at ${cut}`).toEqual([["한국남부발전", null, "1.5"], ["a\tb", "x", "-0"]]);
    }
  });

  it("a stream that ends inside a row is an error, not a short file", () => {
    const dec = new CopyTextRows(() => {});
    dec.push(Buffer.from("a\tb\nc\t"));
    expect(() => dec.end()).toThrow(/ended inside a row/);
  });
});

describe("CSV fields", () => {
  it("NULL is an empty field, an empty text is quoted, text with separators or quotes is quoted", () => {
    expect(csvField(null, false)).toBe("");
    expect(csvField(null, true)).toBe("");
    expect(csvField("", true)).toBe('""');
    expect(csvField('진주, "북"', true)).toBe('"진주, ""북"""');
    expect(csvField(" 영흥", true)).toBe('" 영흥"');
    expect(csvField("0.1", false)).toBe("0.1");
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
