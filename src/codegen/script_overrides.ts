// Hand-kept script metadata that neither windmill-parser-wasm-ts nor a step's argument schema
// gives: short summaries, `format: date` (no TS type yields it), enum labels, titles. Parameter
// descriptions come from each step's zod schema (`.describe()`, flows/scripts.ts); one here
// overrides it. `npm run wmill:gen` merges these into `<script>.script.yaml`; the parser owns
// everything else (types, defaults, required). A test fails when an entry names a script or
// parameter that does not exist, so renames cannot leave stale entries behind.

export interface ParamOverride {
  description?: string;
  /** Only on string parameters: `date` gives the date picker. */
  format?: "date" | "date-time" | "email" | "uri";
  title?: string;
  placeholder?: string;
  enumLabels?: Record<string, string>;
}

export interface ScriptOverride {
  summary?: string;
  description?: string;
  params?: Record<string, ParamOverride>;
}

const RANGE = { start: { format: "date" }, end: { format: "date" } } as const;

export const SCRIPT_OVERRIDES: Record<string, ScriptOverride> = {
  "f/pv/prepare": { summary: "Ready the database for a flow's steps" },
  "f/pv/plan": {
    summary: "Plan the partitions a run must load",
    params: { ...RANGE, station_set: { enumLabels: { mapped: "Stations matched to plants", all: "Every ASOS station" } } },
  },
  "f/pv/open_run": { summary: "Open a run's record with its inputs, plan and request budget" },
  "f/pv/plan_continuation": { summary: "Plan the continuation of stopped backfills" },
  "f/pv/collect": { summary: "Fetch a chunk of a source into raw" },
  "f/pv/ingest": { summary: "A chunk's raw payloads into the serving table (one write per row)" },
  "f/pv/report": { summary: "Close a run and summarize it" },
  "f/pv/kospo_probe": { summary: "Find the first day with data of each KOSPO unit", params: { earliest: { format: "date" } } },
  "f/pv/notify_slack": {
    summary: "Post a run report or a failure alert to Slack",
    description: "Reads the run report, posts it (chat.postMessage with a bot token, or an incoming webhook) and records the outcome in ops.notifications. Slack errors never fail the run.",
    params: { kind: { enumLabels: { summary: "Run summary", failure: "Failure alert" } } },
  },
  "f/pv/check": {
    summary: "Run an asset's checks and record the results",
    description: "Runs the checks the asset declares (f/lib/assets/catalog.ts) on a partition range, or its freshness check, and records the failures with their figures and one evaluation per partition and check (ops.check_results, ops.check_evaluations). Returns `blocked`: partitions with a failing blocking error check, which the next step skips.",
    params: RANGE,
  },
  "f/pv/export": {
    summary: "Export a dataset (pv_weather, kospo, koen, asos) as CSV or Parquet with a manifest",
    description: "Writes the dataset over the range to out_path on the worker (and <out_path>.manifest.json: rows per unit, fill methods, data versions, missing partitions, failing checks), via a temporary file renamed when complete; without out_path returns at most 5000 rows inline. Same export as `pvpipe export` (README, Export).",
    params: RANGE,
  },
  "f/pv/impute": {
    summary: "Fill gaps of an hourly asset with provenance",
    description: "Writes filled values and their method (night_zero, sibling_csi, station_csi, clear_sky_index, linear; none = left NULL, with daytime gaps too long to fill reported under `unfilled`) for values that were not measured; never changes a measured value. Idempotent.",
    params: RANGE,
  },
};
