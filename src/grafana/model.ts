// Dashboards are authored as typed objects (Grafana's published types from @grafana/schema: the
// dashboard model and each panel plugin's Options/FieldConfig) and emitted to JSON by
// `npm run wmill:gen`. A panel here can only carry options its plugin defines, and every query is
// a raw SQL target on the one provisioned PostgreSQL data source.
import type { DataQuery, DataSourceRef, FieldConfigSource, GridPos, Panel, VariableModel, Dashboard } from "@grafana/schema";
import type { Options as BarGaugeOptions } from "@grafana/schema/dist/esm/raw/composable/bargauge/panelcfg/x/BarGaugePanelCfg_types.gen";
import type { Options as GeomapOptions } from "@grafana/schema/dist/esm/raw/composable/geomap/panelcfg/x/GeomapPanelCfg_types.gen";
import type { Options as StatOptions } from "@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen";
import type {
  FieldConfig as StateTimelineFieldConfig,
  Options as StateTimelineOptions,
} from "@grafana/schema/dist/esm/raw/composable/statetimeline/panelcfg/x/StateTimelinePanelCfg_types.gen";
import type { FieldConfig as TableFieldConfig, Options as TableOptions } from "@grafana/schema/dist/esm/raw/composable/table/panelcfg/x/TablePanelCfg_types.gen";
import type {
  FieldConfig as TimeSeriesFieldConfig,
  Options as TimeSeriesOptions,
} from "@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen";
import type { FieldConfig as XYChartFieldConfig, Options as XYChartOptions } from "@grafana/schema/dist/esm/raw/composable/xychart/panelcfg/x/XYChartPanelCfg_types.gen";
import { DATASOURCE_TYPE, DATASOURCE_UID } from "./provisioning.ts";

export const DATASOURCE: DataSourceRef = { type: DATASOURCE_TYPE, uid: DATASOURCE_UID };

/** The dashboards' zone: every time is shown in KST. */
export const TIMEZONE = "Asia/Seoul";

/**
 * kWh without Grafana's SI auto-scaling. The earlier dashboard used unit "kwatth" (which scales
 * 1500 kWh to "1.50 MWh") plus `unitScale: false` — a key that is not part of Grafana's field
 * config, so it did nothing. A custom suffix unit is never rescaled.
 */
export const UNIT_KWH = "suffix: kWh";

/** A Grafana SQL query (grafana-sql SQLQuery) in code mode. */
export interface SqlTarget extends DataQuery {
  datasource: DataSourceRef;
  rawSql: string;
  format: "table" | "time_series";
  rawQuery: true;
  editorMode: "code";
}

export function sqlTarget(refId: string, format: SqlTarget["format"], rawSql: string): SqlTarget {
  return { refId, datasource: DATASOURCE, rawSql: dedent(rawSql), format, rawQuery: true, editorMode: "code" };
}

/** A panel's one query, refId A. */
export const query = (format: SqlTarget["format"], rawSql: string): SqlTarget[] => [sqlTarget("A", format, rawSql)];

/** Strip the common indentation of a template literal (keeps the JSON readable). */
export function dedent(s: string): string {
  const lines = s.replace(/^\n/, "").replace(/\s+$/, "").split("\n");
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join("\n");
}

type TypedPanel<T extends string, O, C> = Omit<Panel, "type" | "options" | "fieldConfig" | "targets" | "gridPos" | "id" | "title"> & {
  type: T;
  id: number;
  title: string;
  gridPos: GridPos;
  datasource: DataSourceRef;
  options: O;
  fieldConfig: FieldConfigSource<C>;
  targets: SqlTarget[];
};

export type TimeSeriesPanel = TypedPanel<"timeseries", TimeSeriesOptions, TimeSeriesFieldConfig>;
export type StatPanel = TypedPanel<"stat", StatOptions, Record<string, never>>;
export type GeomapPanel = TypedPanel<"geomap", GeomapOptions, Record<string, never>>;
export type TablePanel = TypedPanel<"table", TableOptions, TableFieldConfig>;
export type XYChartPanel = TypedPanel<"xychart", XYChartOptions, XYChartFieldConfig>;
export type StateTimelinePanel = TypedPanel<"state-timeline", StateTimelineOptions, StateTimelineFieldConfig>;
export type BarGaugePanel = TypedPanel<"bargauge", BarGaugeOptions, Record<string, never>>;

export type SqlPanel = TimeSeriesPanel | StatPanel | GeomapPanel | TablePanel | XYChartPanel | StateTimelinePanel | BarGaugePanel;

/** A row header (collapsible section title). */
export interface RowHeader {
  type: "row";
  id: number;
  title: string;
  collapsed: false;
  gridPos: GridPos;
  panels: [];
}

export type DashboardPanel = SqlPanel | RowHeader;

export interface PvDashboard extends Omit<Dashboard, "panels" | "templating" | "uid" | "title" | "time" | "timezone"> {
  uid: string;
  title: string;
  /** File name under grafana/dashboards/ (without .json). */
  file: string;
  time: { from: string; to: string };
  timezone: typeof TIMEZONE;
  panels: DashboardPanel[];
  templating: { list: VariableModel[] };
}

/** Assigns ids in order (Grafana needs them unique within a dashboard). */
export function numberPanels<P extends { id: number }>(panels: P[]): P[] {
  return panels.map((p, i) => ({ ...p, id: i + 1 }));
}

export function row(title: string, y: number): RowHeader {
  return { type: "row", id: 0, title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] };
}

/** A query variable over the data source: `__value`/`__text` columns name value and label. */
export function queryVariable(v: {
  name: string;
  label: string;
  query: string;
  multi: boolean;
  includeAll: boolean;
  current?: { text: string | string[]; value: string | string[] };
  description?: string;
}): VariableModel {
  const all = { text: ["All"], value: ["$__all"] };
  return {
    type: "query",
    name: v.name,
    label: v.label,
    description: v.description,
    datasource: DATASOURCE,
    query: dedent(v.query),
    definition: dedent(v.query),
    refresh: 2, // on time range change (and on load)
    multi: v.multi,
    includeAll: v.includeAll,
    current: v.current ?? (v.includeAll ? all : undefined),
    options: [],
    sort: 0,
    hide: 0,
    skipUrlSync: false,
  } as VariableModel;
}

/** The built-in annotations entry Grafana adds to every dashboard. */
export const BUILTIN_ANNOTATIONS = {
  list: [
    {
      builtIn: 1,
      datasource: { type: "grafana", uid: "-- Grafana --" },
      enable: true,
      hide: true,
      iconColor: "rgba(0, 211, 255, 1)",
      name: "Annotations & Alerts",
      type: "dashboard",
    },
  ],
};

/** The JSON file content Grafana's file provider loads (stable key order, trailing newline). */
export function renderDashboard(d: PvDashboard): string {
  const { file: _file, ...json } = d;
  return `${JSON.stringify(json, null, 2)}\n`;
}

/**
 * What every pvpipe dashboard sets alike: KST, a shared crosshair (time series read on one axis),
 * the schema version the panels are written for, and Grafana's built-in annotations.
 */
export const DASHBOARD_DEFAULTS: Pick<PvDashboard, "timezone" | "editable" | "graphTooltip" | "schemaVersion" | "version" | "fiscalYearStartMonth" | "liveNow" | "links" | "annotations"> = {
  timezone: TIMEZONE,
  editable: true,
  graphTooltip: 1,
  schemaVersion: 39,
  version: 1,
  fiscalYearStartMonth: 0,
  liveNow: false,
  links: [],
  annotations: BUILTIN_ANNOTATIONS,
};

/** A pvpipe dashboard: what it is (uid, title, tags), its default range and refresh, its variables and panels (numbered in order). */
export function dashboard(d: Pick<PvDashboard, "uid" | "file" | "title" | "description" | "tags" | "time" | "refresh">, variables: PvDashboard["templating"]["list"], panels: DashboardPanel[]): PvDashboard {
  return { uid: d.uid, file: d.file, title: d.title, description: d.description, tags: d.tags, ...DASHBOARD_DEFAULTS, time: d.time, refresh: d.refresh, templating: { list: variables }, panels: numberPanels(panels) };
}
