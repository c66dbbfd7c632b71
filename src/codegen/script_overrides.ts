// Hand-kept script metadata that windmill-parser-wasm-ts cannot derive from a signature: short
// summaries, parameter descriptions, `format: date` (no TS type yields it), enum labels, titles.
// `npm run wmill:gen` merges these into `<script>.script.yaml`; the parser owns everything else
// (types, defaults, required). A test fails when an entry names a script or parameter that does
// not exist, so renames cannot leave stale entries behind.

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

const DB = { description: "PV PostgreSQL (f/pv/db)" };
const RUN_ID = { description: "Run id from the plan step; empty = the root flow job (WM_ROOT_FLOW_JOB_ID)" };
const CHUNK = { description: "One planned chunk: {asset, pdim (unit key), start, end} (YYYY-MM-DD, KST)" };
const BUDGETED_CHUNK = {
  description: "One planned chunk: {asset, pdim (unit key), start, end} (YYYY-MM-DD, KST); a continued backfill's chunk also names its request budget and the backfill (budget, continues)",
};

export const SCRIPT_OVERRIDES: Record<string, ScriptOverride> = {
  "f/pv/plan": {
    summary: "Plan the partitions a run must load",
    params: {
      db: DB,
      source: { description: "Source to plan" },
      start: { format: "date", description: "First day (KST); empty = lookback_days before end" },
      end: { format: "date", description: "Last day (KST); empty = the latest day the source publishes" },
      plant: { description: "Plant code; empty = every unit with coordinates" },
      unit: { description: "Unit number; 0 = every unit of the plant" },
      policy: { description: "missing | failed | stale | all, or combined: missing+failed" },
      flow: { description: "Name of the flow, recorded in ops.runs" },
      run_id: { description: "Run id; empty = the root flow job (WM_ROOT_FLOW_JOB_ID)" },
      lookback_days: { description: "Window when no dates are given: this many days up to end" },
      stations: { description: "ASOS only: station ids to plan; empty = station_set" },
      station_set: { description: "ASOS only, when no stations are given", enumLabels: { mapped: "Stations matched to plants", all: "Every ASOS station" } },
      max_requests: { description: "kospo, asos: stop cleanly after this many requests (a share of the key's daily quota); 0 = no limit" },
    },
  },
  "f/pv/plan_continuation": {
    summary: "Plan the continuation of stopped backfills",
    params: {
      db: DB,
      source: { description: "Source whose unfinished backfills (stopped by the quota or their request budget on an earlier day) to continue" },
      run_id: { description: "Run id of the scheduled run that continues them (the plan step's)" },
    },
  },
  "f/pv/report": {
    summary: "Close a run and summarize it",
    params: { db: DB, run_id: RUN_ID },
  },
  "f/pv/ingest": {
    summary: "Upsert a chunk's staged rows into the serving table",
    params: { db: DB, source: { description: "Source of the chunk" }, run_id: RUN_ID, chunk: CHUNK },
  },
  "f/pv/kospo_sync": {
    summary: "Fetch a KOSPO chunk into raw",
    params: {
      db: DB,
      kospo_api: { description: "KOSPO API on data.go.kr (f/pv/kospo_api)" },
      run_id: RUN_ID,
      chunk: BUDGETED_CHUNK,
      concurrency: { description: "Requests in flight" },
      requests_per_second: { description: "Request rate limit" },
    },
  },
  "f/pv/kospo_merge": {
    summary: "KOSPO raw items to hourly stage rows",
    params: { db: DB, run_id: RUN_ID, chunk: CHUNK },
  },
  "f/pv/kospo_probe": {
    summary: "Find the first day with data of each KOSPO unit",
    params: {
      db: DB,
      kospo_api: { description: "KOSPO API on data.go.kr (f/pv/kospo_api)" },
      gencd: { description: "Plant code; empty = all" },
      hogi: { description: "Unit; 0 = all" },
      earliest: { format: "date", description: "Do not look before this day" },
    },
  },
  "f/pv/asos_collect": {
    summary: "Fetch an ASOS chunk (one station) into raw",
    params: {
      db: DB,
      asos_api: { description: "KMA ASOS API on data.go.kr (f/pv/asos_api)" },
      run_id: RUN_ID,
      chunk: BUDGETED_CHUNK,
      refetch: { description: "Fetch again even when the raw payload is already stored (policy all)" },
      concurrency: { description: "Requests in flight" },
      requests_per_second: { description: "Request rate limit" },
    },
  },
  "f/pv/asos_merge": {
    summary: "ASOS raw items to hourly stage rows",
    params: { db: DB, run_id: RUN_ID, chunk: CHUNK },
  },
  "f/pv/notify_slack": {
    summary: "Post a run report or a failure alert to Slack",
    description: "Reads the run report, posts it (chat.postMessage with a bot token, or an incoming webhook) and records the outcome in ops.notifications. Slack errors never fail the run.",
    params: {
      db: DB,
      slack: { description: "Slack bot token + channel, or an incoming webhook (f/pv/slack)" },
      run_id: RUN_ID,
      enabled: { description: "Post at all (the flow's slack input)" },
      kind: { description: "summary = the run report after the report step; failure = the flow's failure module", enumLabels: { summary: "Run summary", failure: "Failure alert" } },
      error_name: { description: "Failure only: error name (error.name)" },
      error_message: { description: "Failure only: error message (error.message)" },
      api_url: { description: "Slack Web API base URL; empty = https://slack.com/api/" },
      step_id: { description: "Failure only: the step that failed (error.step_id)" },
    },
  },
  "f/pv/check": {
    summary: "Run an asset's checks and record the results",
    description: "Runs the checks the asset declares (f/lib/assets/catalog.ts) on a partition range, or its freshness check, and records the failures with their figures and one evaluation per partition and check (ops.check_results, ops.check_evaluations). Returns `blocked`: partitions with a failing blocking error check, which the next step skips.",
    params: {
      db: DB,
      asset: { description: "Asset key: kospo/hourly, asos/hourly or koen/hourly" },
      start: { format: "date", description: "First day (KST); empty = end" },
      end: { format: "date", description: "Last day (KST); empty = yesterday" },
      pdim: { description: "One unit or station key (997S-1, 108); empty = every unit" },
      mode: { description: "partitions = the declared checks on the range; freshness = is the latest partition there by its deadline; all = both" },
      run_id: RUN_ID,
    },
  },
  "f/pv/export": {
    summary: "Export a dataset (pv_weather, kospo, koen, asos) as CSV or Parquet with a manifest",
    description: "Writes the dataset over the range to out_path on the worker (and <out_path>.manifest.json: rows per unit, fill methods, data versions, missing partitions, failing checks), via a temporary file renamed when complete; without out_path returns at most 5000 rows inline. Same export as `pvpipe export` (README, Export).",
    params: {
      db: DB,
      dataset: { description: "pv_weather (plant-hours × weather), kospo, koen or asos" },
      start: { format: "date", description: "First day (KST)" },
      end: { format: "date", description: "Last day (KST)" },
      plants: { description: "Plant codes (KOSPO gencd, KOEN 발전구분); empty = every plant" },
      units: { description: "Unit numbers (호기) of the selected plants; empty = all" },
      stations: { description: "ASOS station ids (asos: the stations; pv_weather: plants matched to them); empty = all" },
      format: { description: "csv (UTF-8 with BOM) or parquet" },
      out_path: { description: "File (or directory) on the worker; empty = return the rows inline (small ranges)" },
      measured_only: { description: "Measured values only: no *_filled / *_fill_method columns" },
      bom: { description: "CSV: start with a UTF-8 byte-order mark (Excel shows Hangul correctly)" },
      force: { description: "Replace an existing file and manifest" },
    },
  },
  "f/pv/impute": {
    summary: "Fill gaps of an hourly asset with provenance",
    description: "Writes filled values and their method (night_zero, clear_sky_index, linear; none = left NULL, with daytime gaps too long to fill reported under `unfilled`) for values that were not measured; never changes a measured value. Idempotent.",
    params: {
      db: DB,
      asset: { description: "Asset key: kospo/hourly, asos/hourly or koen/hourly" },
      start: { format: "date", description: "First day (KST); empty = end" },
      end: { format: "date", description: "Last day (KST); empty = yesterday" },
      pdim: { description: "One unit or station key (997S-1, 108); empty = every unit with rows" },
      skip: { description: "Partitions not to fill (the check step's `blocked`); reported as skipped" },
      run_id: RUN_ID,
      ingest: { description: "The ingest step's result, returned alongside impute's (the chunk's result)" },
    },
  },
};
