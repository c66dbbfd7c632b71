// A zod schema for the parts of Grafana's dashboard and panel model the emitted JSON relies on.
// @grafana/schema gives compile-time types but no runtime validator, and several of the fields that
// matter are typed loosely there (MapLayerOptions.config is `unknown`, Panel.targets are bare
// DataQuery, overrides take any property id). This checks the JSON files as Grafana will read them.
import { z } from "zod";
import { DATASOURCE_TYPE, DATASOURCE_UID } from "./provisioning.ts";

const DataSourceRef = z.object({ type: z.literal(DATASOURCE_TYPE), uid: z.literal(DATASOURCE_UID) }).strict();

export const SqlTargetSchema = z
  .object({
    refId: z.string().regex(/^[A-Z]$/),
    datasource: DataSourceRef,
    rawSql: z.string().min(1),
    format: z.enum(["table", "time_series"]),
    rawQuery: z.literal(true),
    editorMode: z.literal("code"),
  })
  .strict();

const GridPos = z
  .object({ x: z.number().int().min(0).max(23), y: z.number().int().min(0), w: z.number().int().min(1).max(24), h: z.number().int().min(1) })
  .strict()
  .refine((g) => g.x + g.w <= 24, "panel wider than the 24-column grid");

/** Field config properties an override may set (Grafana ignores unknown ids silently). */
const OVERRIDE_PROPERTY_IDS = [
  "unit",
  "displayName",
  "decimals",
  "min",
  "max",
  "color",
  "thresholds",
  "mappings",
  "noValue",
  "custom.lineStyle",
  "custom.lineWidth",
  "custom.showPoints",
  "custom.fillOpacity",
  "custom.drawStyle",
  "custom.stacking",
  "custom.cellOptions",
  "custom.width",
  "custom.hidden",
] as const;

const Thresholds = z.object({
  mode: z.enum(["absolute", "percentage"]),
  steps: z.array(z.object({ color: z.string(), value: z.number().nullable() })).min(1),
});

const FieldDefaults = z
  .object({
    unit: z.string().optional(),
    decimals: z.number().int().optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    color: z.object({ mode: z.string(), fixedColor: z.string().optional() }).optional(),
    thresholds: Thresholds.optional(),
    mappings: z.array(z.unknown()).optional(),
    custom: z.record(z.string(), z.unknown()).optional(),
  })
  .strict(); // e.g. the old dashboard's `unitScale: false` is not a field config property

const FieldConfigSource = z
  .object({
    defaults: FieldDefaults,
    overrides: z.array(
      z.object({
        matcher: z.object({ id: z.enum(["byName", "byRegexp", "byType", "byFrameRefID"]), options: z.string() }).strict(),
        properties: z.array(z.object({ id: z.enum(OVERRIDE_PROPERTY_IDS), value: z.unknown() }).strict()).min(1),
      }),
    ),
  })
  .strict();

const panelBase = {
  id: z.number().int().positive(),
  title: z.string().min(1),
  description: z.string().optional(),
  gridPos: GridPos,
  datasource: DataSourceRef,
  targets: z.array(SqlTargetSchema).min(1),
  fieldConfig: FieldConfigSource,
  interval: z.string().regex(/^\d+(ms|s|m|h|d|w|M|y)$/).optional(),
  maxDataPoints: z.number().int().positive().optional(),
  repeat: z.string().optional(),
  repeatDirection: z.enum(["h", "v"]).optional(),
  maxPerRow: z.number().int().min(1).optional(),
};

const Legend = z.object({ showLegend: z.boolean(), displayMode: z.enum(["list", "table", "hidden"]), placement: z.enum(["bottom", "right"]), calcs: z.array(z.string()) }).passthrough();
const Tooltip = z.object({ mode: z.enum(["single", "multi", "none"]), sort: z.enum(["none", "asc", "desc"]) }).passthrough();
const ReduceOptions = z.object({ values: z.boolean(), calcs: z.array(z.string()), fields: z.string() }).passthrough();

export const MarkersLayerSchema = z
  .object({
    type: z.literal("markers"),
    name: z.string(),
    tooltip: z.boolean(),
    location: z.object({ mode: z.literal("coords"), latitude: z.string().min(1), longitude: z.string().min(1) }).strict(),
    config: z.object({
      showLegend: z.boolean(),
      style: z
        .object({
          size: z.object({ field: z.string().min(1), fixed: z.number(), min: z.number().positive(), max: z.number().positive() }).strict(),
          color: z.object({ field: z.string().min(1), fixed: z.string() }).strict(),
          opacity: z.number().min(0).max(1),
          symbol: z.object({ mode: z.literal("fixed"), fixed: z.string().endsWith(".svg") }).strict(),
        })
        .passthrough(),
    }),
  })
  .strict();

const GeomapOptions = z
  .object({
    view: z.object({ id: z.enum(["zero", "coords", "fit"]), lat: z.number().min(33).max(39), lon: z.number().min(124).max(132), zoom: z.number() }).passthrough(),
    controls: z.object({}).passthrough(),
    basemap: z.object({ type: z.string(), name: z.string() }).passthrough(),
    layers: z.array(MarkersLayerSchema).min(1),
    tooltip: z.object({ mode: z.enum(["details", "none"]) }).strict(),
  })
  .strict();

const XYOptions = z
  .object({
    mapping: z.enum(["auto", "manual"]),
    series: z
      .array(
        z.object({
          name: z.object({ fixed: z.string() }).optional(),
          x: z.object({ matcher: z.object({ id: z.literal("byName"), options: z.string() }) }),
          y: z.object({ matcher: z.object({ id: z.literal("byName"), options: z.string() }) }),
        }),
      )
      .min(1),
    legend: Legend,
    tooltip: Tooltip,
  })
  .strict();

export const PanelSchema = z.discriminatedUnion("type", [
  z.object({ ...panelBase, type: z.literal("timeseries"), options: z.object({ legend: Legend, tooltip: Tooltip }).passthrough() }).strict(),
  z.object({ ...panelBase, type: z.literal("state-timeline"), options: z.object({ legend: Legend, tooltip: Tooltip, rowHeight: z.number(), showValue: z.string() }).passthrough() }).strict(),
  z.object({ ...panelBase, type: z.literal("stat"), options: z.object({ reduceOptions: ReduceOptions }).passthrough() }).strict(),
  z.object({ ...panelBase, type: z.literal("bargauge"), options: z.object({ reduceOptions: ReduceOptions }).passthrough() }).strict(),
  z.object({ ...panelBase, type: z.literal("table"), options: z.object({ showHeader: z.boolean(), frameIndex: z.number() }).passthrough() }).strict(),
  z.object({ ...panelBase, type: z.literal("geomap"), options: GeomapOptions }).strict(),
  z.object({ ...panelBase, type: z.literal("xychart"), options: XYOptions }).strict(),
  z
    .object({ type: z.literal("row"), id: z.number().int().positive(), title: z.string(), collapsed: z.literal(false), gridPos: GridPos, panels: z.array(z.never()) })
    .strict(),
]);

const Variable = z
  .object({
    type: z.literal("query"),
    name: z.string().regex(/^\w+$/),
    label: z.string(),
    description: z.string().optional(),
    datasource: DataSourceRef,
    query: z.string().min(1),
    definition: z.string(),
    refresh: z.union([z.literal(1), z.literal(2)]),
    multi: z.boolean(),
    includeAll: z.boolean(),
    current: z.object({ text: z.union([z.string(), z.array(z.string())]), value: z.union([z.string(), z.array(z.string())]) }).optional(),
    options: z.array(z.unknown()),
    sort: z.number(),
    hide: z.number(),
    skipUrlSync: z.boolean(),
  })
  .strict();

export const DashboardSchema = z
  .object({
    uid: z.string().regex(/^[a-zA-Z0-9_-]{1,40}$/),
    title: z.string().min(1),
    description: z.string(),
    tags: z.array(z.string()),
    timezone: z.literal("Asia/Seoul"),
    time: z.object({ from: z.string(), to: z.string() }).strict(),
    refresh: z.string(),
    editable: z.boolean(),
    graphTooltip: z.union([z.literal(0), z.literal(1), z.literal(2)]),
    schemaVersion: z.number().int().min(36),
    version: z.number().int(),
    fiscalYearStartMonth: z.number().int(),
    liveNow: z.boolean(),
    links: z.array(z.unknown()),
    annotations: z.object({ list: z.array(z.object({ builtIn: z.literal(1) }).passthrough()) }),
    templating: z.object({ list: z.array(Variable) }),
    panels: z.array(PanelSchema).min(1),
  })
  .strict()
  .superRefine((d, ctx) => {
    const ids = d.panels.map((p) => p.id);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: "custom", message: "panel ids are not unique" });
    const vars = new Map(d.templating.list.map((v) => [v.name, v]));
    for (const p of d.panels) {
      if (p.type === "row") continue;
      if (p.repeat) {
        const v = vars.get(p.repeat);
        if (!v || !v.multi) ctx.addIssue({ code: "custom", message: `panel "${p.title}" repeats over "${p.repeat}", which is not a multi-value variable` });
      }
    }
  });

export type DashboardJson = z.infer<typeof DashboardSchema>;
