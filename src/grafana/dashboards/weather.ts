// 2. Weather vs generation: for one plant, its generation, the solar radiation of its nearest
// pyranometer station and the cloud cover of its nearest station on shared time axes (all from
// pv_weather_hourly, which aligns the PV hour [T, T+1h) with the observation at T+1h), a scatter of
// hourly radiation vs generation, and the matched stations with their distances.
import { FieldColorModeId, LegendDisplayMode, SortOrder, TooltipDisplayMode } from "@grafana/schema";
import { PointShape, SeriesMapping, XYShowMode } from "@grafana/schema/dist/esm/raw/composable/xychart/panelcfg/x/XYChartPanelCfg_types.gen";
import { dashboard, query, queryVariable, UNIT_KWH } from "../model.ts";
import { byName, byRegexp, FILLED_POINTS_STYLE, FILLED_STYLE, greenThresholds, table, timeSeries, xyChart } from "../panels.ts";

/** The selected plant (single value) in pv_weather_hourly / plant_station terms. */
const PLANT = "w.operator || ':' || w.plant_code || '-' || w.hogi = ${plant:sqlstring}";

/** The selected plant's hours in the range: the columns given (one line each), by time. */
const plantHours = (...columns: string[]) =>
  query("time_series", `
          SELECT w.datetime AS time, ${columns.join(",\n                 ")}
          FROM public.pv_weather_hourly w
          WHERE $__timeFilter(w.datetime) AND ${PLANT}
          ORDER BY 1`);

export const weatherVsGeneration = dashboard(
  { uid: "pv-weather", file: "weather_vs_generation", title: "Weather vs generation", tags: ["pvpipe", "pv", "weather"], time: { from: "now-7d", to: "now" }, refresh: "30m",
    description: "One plant's generation against its ASOS stations' solar radiation and cloud cover (KST)." },
  [
    queryVariable({ name: "plant", label: "Plant",
      description: "Plants matched to an ASOS station (public.plant_station)",
      query: `
        SELECT ps.operator || ':' || ps.plant_code || '-' || ps.hogi AS __value,
               coalesce(p.operator_name || ' · ' || p.plant_label, ps.plant_name) AS __text
        FROM public.plant_station ps
        LEFT JOIN reporting.pv_plants p ON p.plant_id = ps.operator || ':' || ps.plant_code || '-' || ps.hogi
        ORDER BY ps.operator DESC, 2`,
      multi: false, includeAll: false,
      current: { value: "kospo:9985-1", text: "KOSPO 남부발전 · 신인천 주차장" },
    }),
  ],
  [
    table({
      title: "Matched ASOS stations",
      description:
        "Nearest station (temperature, cloud, …) and nearest station with a pyranometer (solar radiation), great-circle distance from the plant.",
      gridPos: { h: 4, w: 24, x: 0, y: 0 },
      overrides: [
        byName("distance_km", [{ id: "unit", value: "lengthkm" }, { id: "decimals", value: 1 }, { id: "displayName", value: "Distance" }]),
        byName("radiation_distance_km", [{ id: "unit", value: "lengthkm" }, { id: "decimals", value: 1 }, { id: "displayName", value: "Radiation station distance" }]),
        byName("station", [{ id: "displayName", value: "Weather station" }]),
        byName("radiation_station", [{ id: "displayName", value: "Radiation station" }]),
      ],
      targets: query("table", `
          SELECT st.station_name || ' (' || w.stn_id || ')' AS station, w.distance_km,
                 sst.station_name || ' (' || w.solar_stn_id || ')' AS radiation_station, w.solar_distance_km AS radiation_distance_km
          FROM public.plant_station w
          JOIN public.asos_stations st ON st.stn_id = w.stn_id
          LEFT JOIN public.asos_stations sst ON sst.stn_id = w.solar_stn_id
          WHERE ${PLANT}`),
    }),
    timeSeries({
      title: "Generation",
      description: "kWh per hour at interval start. Solid: measured; dashed with points: hours without a measured value, as impute filled them.",
      gridPos: { h: 8, w: 24, x: 0, y: 4 }, unit: UNIT_KWH,
      legendCalcs: ["sum", "max"],
      overrides: [byName("filled", FILLED_POINTS_STYLE), byName("measured", [{ id: "color", value: { mode: FieldColorModeId.Fixed, fixedColor: "green" } }])],
      targets: plantHours("w.generation AS measured", "CASE WHEN w.generation IS NULL THEN w.generation_filled END AS filled"),
    }),
    timeSeries({
      title: "Solar radiation (radiation station)",
      description: "Global solar radiation over the same hour (MJ/m²), from the nearest station with a pyranometer. Dashed with points: hours the station did not report, as impute filled them.",
      gridPos: { h: 8, w: 24, x: 0, y: 12 }, unit: "suffix: MJ/m²",
      legendCalcs: ["sum", "max"],
      overrides: [byRegexp(".*\\(filled\\)$", FILLED_POINTS_STYLE), byName("radiation", [{ id: "color", value: { mode: FieldColorModeId.Fixed, fixedColor: "orange" } }])],
      targets: plantHours("w.icsr AS radiation", `CASE WHEN w.icsr IS NULL THEN w.icsr_filled END AS "radiation (filled)"`),
    }),
    timeSeries({
      title: "Cloud cover (nearest station)",
      description: "Total and mid/low cloud amount in tenths (0 = clear, 10 = overcast), observed at the end of the hour.",
      gridPos: { h: 8, w: 24, x: 0, y: 20 }, unit: "none",
      min: 0,
      max: 10,
      legendCalcs: ["mean"],
      targets: plantHours(`w.dc10_tca AS "total cloud", w.dc10_lmcs_ca AS "mid/low cloud"`),
    }),
    xyChart({
      title: "Hourly radiation vs generation",
      description: "One point per hour with both a measured generation and a radiation value.",
      gridPos: { h: 12, w: 24, x: 0, y: 28 },
      targets: query("table", `
          SELECT w.icsr AS radiation_mj_m2, w.generation AS generation_kwh
          FROM public.pv_weather_hourly w
          WHERE $__timeFilter(w.datetime) AND ${PLANT} AND w.icsr IS NOT NULL AND w.generation IS NOT NULL
          ORDER BY 1`),
      fieldConfig: {
        defaults: {
          color: { mode: FieldColorModeId.PaletteClassic },
          thresholds: greenThresholds,
          custom: { show: XYShowMode.Points, pointShape: PointShape.Circle, pointSize: { fixed: 5 }, pointStrokeWidth: 1, fillOpacity: 50 },
        },
        overrides: [
          byName("radiation_mj_m2", [{ id: "unit", value: "suffix: MJ/m²" }, { id: "displayName", value: "Radiation" }]),
          byName("generation_kwh", [{ id: "unit", value: UNIT_KWH }, { id: "displayName", value: "Generation" }]),
        ],
      },
      options: {
        mapping: SeriesMapping.Manual,
        series: [
          {
            name: { fixed: "hours" },
            x: { matcher: { id: "byName", options: "radiation_mj_m2" } },
            y: { matcher: { id: "byName", options: "generation_kwh" } },
          },
        ],
        legend: { showLegend: false, displayMode: LegendDisplayMode.List, placement: "bottom", calcs: [] },
        tooltip: { mode: TooltipDisplayMode.Single, sort: SortOrder.None },
      },
    }),
  ],
);
