// 3. Data health: per asset, partitions by status over time (missing / failed / stale /
// materialized, as `pvpipe status` computes them), failing asset checks with their messages, the
// filled-vs-measured share per plant, the last successful run per flow and the freshness lag.
// Everything comes from the reporting views (pv_grafana cannot read ops).
import { FieldColorModeId, GraphDrawStyle, LegendDisplayMode, MappingType, SortOrder, StackingMode, TooltipDisplayMode, VisibilityMode } from "@grafana/schema";
import { dashboard, type DashboardPanel, query, queryVariable, row, sqlTarget } from "../model.ts";
import { barGauge, byName, colorTextCell, fixedColor, gaugeCell, greenThresholds, stateTimeline, table, thresholds, timeSeries } from "../panels.ts";

/** Status colours shared by the health bar and the per-asset bars (Dagster's palette). */
export const STATUS_COLORS = { materialized: "green", stale: "yellow", missing: "#8e8e8e", failed: "red" } as const;

/** Partitions (or their monthly span) that overlap the selected range. */
const IN_RANGE = "s.day_start <= $__timeTo() AND s.period_end > $__timeFrom()";

// This month and the last one: the last complete month is the newest monthly (KOEN) partition.
export const dataHealth = dashboard(
  { uid: "pv-data-health", file: "data_health", title: "Data health", tags: ["pvpipe", "ops"], time: { from: "now-1M/M", to: "now" }, refresh: "5m",
    description: "Partition status per asset, failing checks, filled share, runs and freshness of the pvpipe asset store." },
  [
    queryVariable({ name: "asset", label: "Asset",
      query: "SELECT asset FROM reporting.assets ORDER BY asset",
      multi: true, includeAll: true,
    }),
  ],
  [
    stateTimeline({
      title: "Partition health by asset (worst status per day)",
      description:
        "One row per asset; each day shows the worst status of that day's partitions: materialized < stale < missing < failed. Monthly assets (KOEN) show one state per month. The bar ends where the last partition a source can have published ends (yesterday, or the last complete month).",
      gridPos: { h: 9, w: 24, x: 0, y: 0 },
      targets: query("time_series", `
          SELECT s.day_start AS time, s.asset AS metric,
                 max(CASE s.status WHEN 'materialized' THEN 0 WHEN 'stale' THEN 1 WHEN 'missing' THEN 2 ELSE 3 END) AS value
          FROM reporting.partition_status_daily s
          WHERE s.asset IN (\${asset:sqlstring}) AND ${IN_RANGE}
          GROUP BY 1, 2
          UNION ALL
          SELECT max(s.period_end), s.asset, NULL
          FROM reporting.partition_status_daily s
          WHERE s.asset IN (\${asset:sqlstring}) AND ${IN_RANGE}
          GROUP BY 2
          ORDER BY 1, 2`),
      fieldConfig: {
        defaults: {
          color: { mode: FieldColorModeId.Thresholds },
          thresholds: greenThresholds,
          mappings: [
            {
              type: MappingType.ValueToText,
              options: {
                "0": { text: "materialized", color: STATUS_COLORS.materialized, index: 0 },
                "1": { text: "stale", color: STATUS_COLORS.stale, index: 1 },
                "2": { text: "missing", color: STATUS_COLORS.missing, index: 2 },
                "3": { text: "failed", color: STATUS_COLORS.failed, index: 3 },
              },
            },
          ],
          custom: { fillOpacity: 80, lineWidth: 0, hideFrom: { legend: false, tooltip: false, viz: false } },
        },
        overrides: [],
      },
      options: {
        rowHeight: 0.8,
        showValue: VisibilityMode.Never,
        mergeValues: true,
        alignValue: "left",
        legend: { showLegend: true, displayMode: LegendDisplayMode.List, placement: "bottom", calcs: [] },
        tooltip: { mode: TooltipDisplayMode.Single, sort: SortOrder.None },
      },
    }),
    timeSeries({
      title: "Partitions by status · $asset",
      description: "Number of partitions per day by status (repeated for every selected asset).",
      gridPos: { h: 8, w: 8, x: 0, y: 9 },
      repeat: "asset",
      maxPerRow: 3,
      legendCalcs: ["lastNotNull"],
      custom: { drawStyle: GraphDrawStyle.Bars, fillOpacity: 90, lineWidth: 0, stacking: { mode: StackingMode.Normal, group: "A" } },
      overrides: Object.entries(STATUS_COLORS).map(([status, color]) => byName(status, [fixedColor(color)])),
      targets: query("time_series", `
          SELECT s.day_start AS time, s.status AS metric, sum(s.partitions)::int AS value
          FROM reporting.partition_status_daily s
          WHERE s.asset IN (\${asset:sqlstring}) AND ${IN_RANGE}
          GROUP BY 1, 2
          ORDER BY 1, 2`),
    }),
    row("Checks and quality", 17),
    table({
      title: "Failing asset checks",
      description:
        "Every plant-day (station-day) whose current result fails, for days in the selected range: one row per unit and day, also inside a monthly partition (KOEN), nothing collapsed. A result stays until a later run of that check covers the unit again. Newest day first.",
      gridPos: { h: 10, w: 14, x: 0, y: 18 }, sortBy: [{ displayName: "day", desc: true }],
      overrides: [
        byName("severity", [colorTextCell, { id: "mappings", value: [{ type: MappingType.ValueToText, options: { error: { color: "red", index: 0 }, warn: { color: "orange", index: 1 } } }] }]),
        byName("day", [{ id: "custom.width", value: 100 }]),
        byName("message", [{ id: "custom.width", value: 480 }]),
      ],
      targets: query("table", `
          SELECT to_char(c.day, 'YYYY-MM-DD') AS day, c.unit, c.asset, c.check_name, c.severity, c.blocking, c.value, c.message,
                 c.partition, c.checked_at
          FROM reporting.check_failures c
          WHERE c.asset IN (\${asset:sqlstring}) AND $__timeFilter(c.day_start)
          ORDER BY c.day DESC, c.asset, c.unit, c.check_name`),
    }),
    table({
      title: "Filled vs measured per plant",
      description:
        "Hours in the range with a measured value, with a value only impute filled, and with neither; filled share = filled / all hours present.",
      gridPos: { h: 10, w: 10, x: 14, y: 18 }, sortBy: [{ displayName: "filled_share", desc: true }],
      overrides: [
        byName("filled_share", [gaugeCell, { id: "unit", value: "percentunit" }, { id: "min", value: 0 }, { id: "max", value: 1 }, { id: "thresholds", value: thresholds([null, "green"], [0.05, "orange"], [0.2, "red"]) }, { id: "color", value: { mode: FieldColorModeId.Thresholds } }]),
      ],
      targets: query("table", `
          SELECT p.operator_name AS operator, p.plant_label AS plant,
                 count(*) FILTER (WHERE g.generation IS NOT NULL)::int AS measured_hours,
                 count(*) FILTER (WHERE g.generation IS NULL AND g.generation_filled IS NOT NULL)::int AS filled_hours,
                 count(*) FILTER (WHERE g.generation IS NULL AND g.generation_filled IS NULL)::int AS missing_hours,
                 (count(*) FILTER (WHERE g.generation IS NULL AND g.generation_filled IS NOT NULL))::float8 / count(*) AS filled_share,
                 string_agg(DISTINCT g.fill_method, ', ') FILTER (WHERE g.generation IS NULL AND g.generation_filled IS NOT NULL) AS fill_methods
          FROM reporting.pv_generation_hourly g
          JOIN reporting.pv_plants p ON p.plant_id = g.plant_id
          WHERE $__timeFilter(g.datetime)
          GROUP BY p.operator_name, p.plant_label
          ORDER BY filled_share DESC, operator, plant`),
    }),
    table({
      title: "Failed partitions",
      description: "Partitions whose latest attempt failed, with the error the step recorded.",
      gridPos: { h: 8, w: 24, x: 0, y: 28 },
      overrides: [byName("error", [{ id: "custom.width", value: 700 }])],
      targets: query("table", `
          SELECT s.attempted_at, s.asset, s.partition, s.run_id, s.error
          FROM reporting.partition_failures s
          WHERE s.asset IN (\${asset:sqlstring}) AND ${IN_RANGE}
          ORDER BY s.attempted_at DESC, s.asset, s.partition
          LIMIT 500`),
    }),
    row("Runs and freshness", 36),
    table({
      title: "Last run per flow",
      description: "The latest run of every flow that ever ran, its status, and the last successful one.",
      gridPos: { h: 8, w: 12, x: 0, y: 37 },
      overrides: [
        byName("last_status", [colorTextCell, { id: "mappings", value: [{ type: MappingType.ValueToText, options: { success: { color: "green", index: 0 }, partial: { color: "orange", index: 1 }, failed: { color: "red", index: 2 }, running: { color: "blue", index: 3 }, cancelled: { color: "purple", index: 4 } } }] }]),
        byName("hours_since_success", [{ id: "unit", value: "h" }, { id: "decimals", value: 1 }]),
      ],
      targets: query("table", `
          SELECT r.flow, r.last_status, r.last_run_at, r.last_success_at, r.hours_since_success, r.runs_7d, r.failed_7d
          FROM reporting.flow_last_runs r
          ORDER BY r.flow`),
    }),
    barGauge({
      title: "Freshness: hours late",
      description:
        "Per asset, hours since the deadline of the oldest partition that should be there and is not (daily assets: D-1 by 10:00 KST; KOEN: the previous month by the 11th). 0 while nothing due is missing, whatever the cadence.",
      gridPos: { h: 8, w: 12, x: 12, y: 37 }, unit: "h",
      fields: "/^hours_late$/",
      thresholds: thresholds([null, "green"], [1, "orange"], [24, "red"]),
      targets: query("table", `
          SELECT f.asset, f.hours_late
          FROM reporting.asset_freshness f
          WHERE f.asset IN (\${asset:sqlstring})
          ORDER BY f.asset`),
    }),
    table({
      title: "Asset freshness",
      description:
        "Per asset and cadence: the newest partition expected by now and its state — fresh; partial (a month loaded before KOEN makes it final, fine until its deadline); not late yet; late — with the last materialization and the last day (or month) with data. data_lag_days = days from that day to today (KST), informative only: a monthly source is days behind by design.",
      gridPos: { h: 8, w: 12, x: 0, y: 45 },
      overrides: [
        byName("state", [
          colorTextCell,
          {
            id: "mappings",
            value: [
              { type: MappingType.ValueToText, options: { fresh: { color: "green", index: 0 }, "not late yet": { color: "blue", index: 1 }, late: { color: "red", index: 2 } } },
              { type: MappingType.RegexToText, options: { pattern: "^partial.*", result: { color: "blue", index: 3 } } },
            ],
          },
        ]),
        byName("hours_late", [{ id: "unit", value: "h" }, { id: "decimals", value: 0 }]),
      ],
      targets: query("table", `
          SELECT f.asset, f.cadence, f.expected_partition, f.state, f.hours_late, f.last_materialized_at, f.data_through, f.data_lag_days, f.description
          FROM reporting.asset_freshness f
          WHERE f.asset IN (\${asset:sqlstring})
          ORDER BY f.asset`),
    }),
    timeSeries({
      title: "Flow runs by status",
      description: "Runs started per interval ($__interval, at least 1 h), stacked by final status.",
      gridPos: { h: 8, w: 12, x: 12, y: 45 },
      interval: "1h",
      legendCalcs: ["sum"],
      custom: { drawStyle: GraphDrawStyle.Bars, fillOpacity: 90, lineWidth: 0, stacking: { mode: StackingMode.Normal, group: "A" } },
      overrides: [
        byName("success", [fixedColor("green")]),
        byName("partial", [fixedColor("orange")]),
        byName("failed", [fixedColor("red")]),
        byName("running", [fixedColor("blue")]),
        byName("cancelled", [fixedColor("purple")]),
      ],
      targets: query("time_series", `
          SELECT $__timeGroupAlias(r.started_at, $__interval), r.status AS metric, count(*)::int AS value
          FROM reporting.flow_runs r
          WHERE $__unixEpochFilter(r.started_epoch)
          GROUP BY 1, 2
          ORDER BY 1, 2`),
    }),
    table({
      title: "Runs in the range",
      description: "Every flow run started in the selected range, newest first.",
      gridPos: { h: 8, w: 24, x: 0, y: 53 },
      overrides: [byName("duration_s", [{ id: "unit", value: "s" }, { id: "decimals", value: 1 }]), byName("error", [{ id: "custom.width", value: 600 }])],
      targets: query("table", `
          SELECT r.started_at, r.flow, r.status, r.engine, r.duration_s, r.run_id, r.error
          FROM reporting.flow_runs r
          WHERE $__unixEpochFilter(r.started_epoch)
          ORDER BY r.started_at DESC
          LIMIT 500`),
    }),
  ],
);
