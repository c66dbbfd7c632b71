// Panel factories with the options every panel of a kind shares; each returns a panel typed by its
// plugin's Options/FieldConfig from @grafana/schema.
import {
  AxisPlacement,
  BarAlignment,
  BarGaugeDisplayMode,
  BarGaugeNamePlacement,
  BarGaugeSizing,
  BarGaugeValueMode,
  BigValueColorMode,
  BigValueGraphMode,
  BigValueJustifyMode,
  BigValueTextMode,
  FieldColorModeId,
  GraphDrawStyle,
  GraphGradientMode,
  LegendDisplayMode,
  LineInterpolation,
  PercentChangeColorMode,
  ScaleDistribution,
  SortOrder,
  StackingMode,
  TableCellDisplayMode,
  TableCellHeight,
  ThresholdsMode,
  TooltipDisplayMode,
  VisibilityMode,
  VizOrientation,
  type FieldConfigSource,
  type GridPos,
  type ThresholdsConfig,
} from "@grafana/schema";
import type { FieldConfig as TimeSeriesFieldConfig } from "@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen";
import type { FieldConfig as TableFieldConfig } from "@grafana/schema/dist/esm/raw/composable/table/panelcfg/x/TablePanelCfg_types.gen";
import {
  DATASOURCE,
  type BarGaugePanel,
  type GeomapPanel,
  type SqlTarget,
  type StatPanel,
  type StateTimelinePanel,
  type TablePanel,
  type TimeSeriesPanel,
  type XYChartPanel,
} from "./model.ts";

type Override = FieldConfigSource["overrides"][number];

export const greenThresholds: ThresholdsConfig = { mode: ThresholdsMode.Absolute, steps: [{ color: "green", value: null }] };

export function thresholds(...steps: [number | null, string][]): ThresholdsConfig {
  return { mode: ThresholdsMode.Absolute, steps: steps.map(([value, color]) => ({ value, color })) };
}

export const byName = (name: string, properties: Override["properties"]): Override => ({ matcher: { id: "byName", options: name }, properties });
export const byRegexp = (re: string, properties: Override["properties"]): Override => ({ matcher: { id: "byRegexp", options: re }, properties });
export const fixedColor = (color: string) => ({ id: "color", value: { mode: FieldColorModeId.Fixed, fixedColor: color } });

/** Filled (imputed) series: dashed and without area, so they are told apart from measured ones. */
export const FILLED_STYLE: Override["properties"] = [
  { id: "custom.lineStyle", value: { fill: "dash", dash: [10, 6] } },
  { id: "custom.fillOpacity", value: 0 },
  { id: "custom.lineWidth", value: 1 },
];

/** Measured hours of an unusable grade (전면무효, 시간별무효): dotted, faint, apart from the totals. */
/** Filled values with a point on each hour (a sparse series stays visible). */
export const FILLED_POINTS_STYLE: Override["properties"] = [...FILLED_STYLE, { id: "custom.showPoints", value: "always" }];

export const EXCLUDED_STYLE: Override["properties"] = [
  { id: "custom.lineStyle", value: { fill: "dot", dash: [0, 6] } },
  { id: "custom.fillOpacity", value: 0 },
  { id: "custom.lineWidth", value: 1 },
  { id: "color", value: { mode: FieldColorModeId.Fixed, fixedColor: "#8e8e8e" } },
];

const baseTimeSeriesCustom: TimeSeriesFieldConfig = {
  drawStyle: GraphDrawStyle.Line,
  lineInterpolation: LineInterpolation.Linear,
  lineWidth: 1,
  fillOpacity: 10,
  gradientMode: GraphGradientMode.None,
  showPoints: VisibilityMode.Never,
  pointSize: 4,
  spanNulls: false,
  axisPlacement: AxisPlacement.Auto,
  axisLabel: "",
  scaleDistribution: { type: ScaleDistribution.Linear },
  stacking: { mode: StackingMode.None, group: "A" },
  barAlignment: BarAlignment.Center,
  hideFrom: { legend: false, tooltip: false, viz: false },
};

/** What every query panel starts with. */
interface PanelHead {
  title: string;
  description?: string;
  gridPos: GridPos;
  targets: SqlTarget[];
}

/** A panel's first fields, in the order Grafana writes them. */
const head = <T extends string>(type: T, p: PanelHead) => ({ type, id: 0, title: p.title, description: p.description, gridPos: p.gridPos, datasource: DATASOURCE });

export function timeSeries(p: PanelHead & {
  unit?: string;
  custom?: Partial<TimeSeriesFieldConfig>;
  overrides?: Override[];
  min?: number;
  max?: number;
  interval?: string;
  legendCalcs?: string[];
  repeat?: string;
  maxPerRow?: number;
}): TimeSeriesPanel {
  return {
    ...head("timeseries", p),
    ...(p.interval ? { interval: p.interval } : {}),
    ...(p.repeat ? { repeat: p.repeat, repeatDirection: "h" as const, maxPerRow: p.maxPerRow ?? 3 } : {}),
    targets: p.targets,
    fieldConfig: {
      defaults: {
        unit: p.unit,
        min: p.min,
        max: p.max,
        color: { mode: FieldColorModeId.PaletteClassic },
        thresholds: greenThresholds,
        custom: { ...baseTimeSeriesCustom, ...p.custom },
      },
      overrides: p.overrides ?? [],
    },
    options: {
      legend: {
        showLegend: true,
        displayMode: LegendDisplayMode.Table,
        placement: "right",
        calcs: p.legendCalcs ?? ["sum"],
        ...((p.legendCalcs ?? ["sum"]).includes("sum") ? { sortBy: "Total", sortDesc: true } : {}),
      },
      tooltip: { mode: TooltipDisplayMode.Multi, sort: SortOrder.Descending },
    },
  };
}

export function stat(p: PanelHead & {
  unit?: string;
  fields?: string;
  decimals?: number;
  thresholds?: ThresholdsConfig;
  overrides?: Override[];
}): StatPanel {
  return {
    ...head("stat", p),
    targets: p.targets,
    fieldConfig: {
      defaults: { unit: p.unit, decimals: p.decimals, color: { mode: FieldColorModeId.Thresholds }, thresholds: p.thresholds ?? greenThresholds },
      overrides: p.overrides ?? [],
    },
    options: {
      reduceOptions: { values: true, calcs: ["lastNotNull"], fields: p.fields ?? "" },
      orientation: VizOrientation.Auto,
      textMode: BigValueTextMode.ValueAndName,
      colorMode: BigValueColorMode.Value,
      graphMode: BigValueGraphMode.None,
      justifyMode: BigValueJustifyMode.Auto,
      wideLayout: true,
      showPercentChange: false,
      percentChangeColorMode: PercentChangeColorMode.Standard,
    },
  };
}

export function table(p: PanelHead & {
  overrides?: Override[];
  sortBy?: { displayName: string; desc?: boolean }[];
}): TablePanel {
  const custom: TableFieldConfig = {
    align: "auto",
    cellOptions: { type: TableCellDisplayMode.Auto },
    inspect: false,
    filterable: true,
  };
  return {
    ...head("table", p),
    targets: p.targets,
    fieldConfig: { defaults: { custom: { ...custom }, thresholds: greenThresholds }, overrides: p.overrides ?? [] },
    options: { showHeader: true, cellHeight: TableCellHeight.Sm, frameIndex: 0, sortBy: p.sortBy ?? [] },
  };
}

export const gaugeCell = { id: "custom.cellOptions", value: { type: TableCellDisplayMode.Gauge, mode: BarGaugeDisplayMode.Basic, valueDisplayMode: BarGaugeValueMode.Text } };
export const colorTextCell = { id: "custom.cellOptions", value: { type: TableCellDisplayMode.ColorText } };

export function geomap(p: Omit<GeomapPanel, "type" | "id" | "datasource">): GeomapPanel {
  return { type: "geomap", id: 0, datasource: DATASOURCE, ...p };
}

export function xyChart(p: Omit<XYChartPanel, "type" | "id" | "datasource">): XYChartPanel {
  return { type: "xychart", id: 0, datasource: DATASOURCE, ...p };
}

export function stateTimeline(p: Omit<StateTimelinePanel, "type" | "id" | "datasource">): StateTimelinePanel {
  return { type: "state-timeline", id: 0, datasource: DATASOURCE, ...p };
}

export function barGauge(p: PanelHead & {
  unit?: string;
  fields: string;
  thresholds: ThresholdsConfig;
  max?: number;
}): BarGaugePanel {
  return {
    ...head("bargauge", p),
    targets: p.targets,
    fieldConfig: { defaults: { unit: p.unit, min: 0, max: p.max, color: { mode: FieldColorModeId.Thresholds }, thresholds: p.thresholds }, overrides: [] },
    options: {
      reduceOptions: { values: true, calcs: ["lastNotNull"], fields: p.fields },
      orientation: VizOrientation.Horizontal,
      displayMode: BarGaugeDisplayMode.Gradient,
      valueMode: BarGaugeValueMode.Color,
      namePlacement: BarGaugeNamePlacement.Auto,
      showUnfilled: true,
      sizing: BarGaugeSizing.Auto,
      minVizHeight: 16,
      minVizWidth: 8,
      maxVizHeight: 300,
      legend: { showLegend: false, displayMode: LegendDisplayMode.List, placement: "bottom", calcs: [] },
    },
  };
}
