// 1. PV overview: every plant with coordinates on a map (marker size and colour = energy in the
// selected range), energy per operator, hourly and daily generation per plant; measured solid,
// gap-filled dashed. Totals count usable hours only: units graded 전면무효 and 시간별무효 hours
// (before hourly_valid_from) are excluded and shown apart, labelled (reporting.pv_generation_hourly
// .usable, migration 0011). Variables: operator and plant (multi-select, default All).
import { FieldColorModeId, FrameGeometrySourceMode, GraphDrawStyle, StackingMode, ThresholdsMode } from "@grafana/schema";
import { MapCenterID, TooltipMode } from "@grafana/schema/dist/esm/raw/composable/geomap/panelcfg/x/GeomapPanelCfg_types.gen";
import { dashboard, query, queryVariable, UNIT_KWH } from "../model.ts";
import { byName, byRegexp, EXCLUDED_STYLE, FILLED_POINTS_STYLE, FILLED_STYLE, geomap, greenThresholds, stat, timeSeries } from "../panels.ts";

/** The plant filter every generation query shares (operator and plant are multi-value). */
const PLANT_FILTER = "g.operator IN (${operator:sqlstring}) AND g.plant_id IN (${plant:sqlstring})";

// This month and the last one: KOEN publishes whole months, KOSPO up to yesterday.
/** kWh per operator over the selected plants and range: `sum` of the hours it selects, as `alias`. */
const energyByOperator = (sum: string, alias: string) =>
  query("table", `
          SELECT p.operator_name AS operator, ${sum} AS ${alias}
          FROM reporting.pv_generation_hourly g
          JOIN reporting.pv_plants p ON p.plant_id = g.plant_id
          WHERE $__timeFilter(g.datetime) AND ${PLANT_FILTER}
          GROUP BY p.operator_name
          ORDER BY p.operator_name`);

/** Per plant and time bucket: measured energy (an unusable grade's apart, labelled), and the filled energy as "<plant> (filled)". */
const generationPerPlant = (bucket: string, bucketAgain: string) =>
  query("time_series", `
          SELECT ${bucket},
                 p.plant_label || CASE WHEN g.usable THEN '' ELSE ' (excluded: ' || g.excluded_reason || ')' END AS metric,
                 sum(g.generation) AS value
          FROM reporting.pv_generation_hourly g
          JOIN reporting.pv_plants p ON p.plant_id = g.plant_id
          WHERE $__timeFilter(g.datetime) AND ${PLANT_FILTER} AND g.generation IS NOT NULL
          GROUP BY 1, 2
          UNION ALL
          SELECT ${bucketAgain}, p.plant_label || ' (filled)', sum(g.generation_filled)
          FROM reporting.pv_generation_hourly g
          JOIN reporting.pv_plants p ON p.plant_id = g.plant_id
          WHERE $__timeFilter(g.datetime) AND ${PLANT_FILTER} AND g.generation IS NULL AND g.generation_filled IS NOT NULL AND g.usable
          GROUP BY 1, 2
          ORDER BY 1, 2`);

export const pvOverview = dashboard(
  { uid: "pv-overview", file: "pv_overview", title: "PV overview", tags: ["pvpipe", "pv"], time: { from: "now-1M/M", to: "now" }, refresh: "30m",
    description: "Every KOSPO/KOEN PV plant on a map, energy per operator, hourly and daily generation per plant (kWh, KST)." },
  [
    queryVariable({ name: "operator", label: "Operator",
      query: "SELECT DISTINCT operator AS __value, operator_name AS __text FROM reporting.pv_plants ORDER BY 1 DESC",
      multi: true, includeAll: true,
    }),
    queryVariable({ name: "plant", label: "Plant",
      query: `
        SELECT plant_id AS __value, operator_name || ' · ' || plant_label AS __text
        FROM reporting.pv_plants
        WHERE operator IN (\${operator:sqlstring})
        ORDER BY operator DESC, plant_label`,
      multi: true, includeAll: true,
    }),
  ],
  [
    geomap({
      title: "Plants — energy in the selected range",
      description:
        "Every plant with coordinates. Marker size and colour: measured energy (kWh) of usable hours in the selected range; hover for name, operator, capacity, data quality and the energy excluded as unusable (전면무효 units, 시간별무효 hours before hourly_valid_from). Plants without usable data in the range are drawn small.",
      gridPos: { h: 16, w: 12, x: 0, y: 0 },
      targets: query("table", `
          SELECT p.latitude AS lat, p.longitude AS lon, p.plant_label AS name, p.operator_name AS operator,
                 p.capacity_kw, p.data_quality, e.energy_kwh, e.measured_hours, e.excluded_kwh
          FROM reporting.pv_plants p
          LEFT JOIN (
            SELECT g.plant_id, sum(g.generation) FILTER (WHERE g.usable) AS energy_kwh,
                   count(g.generation) FILTER (WHERE g.usable)::int AS measured_hours,
                   sum(g.generation) FILTER (WHERE NOT g.usable) AS excluded_kwh
            FROM reporting.pv_generation_hourly g
            WHERE $__timeFilter(g.datetime)
            GROUP BY g.plant_id
          ) e ON e.plant_id = p.plant_id
          WHERE p.latitude IS NOT NULL AND p.longitude IS NOT NULL
            AND p.operator IN (\${operator:sqlstring}) AND p.plant_id IN (\${plant:sqlstring})
          ORDER BY e.energy_kwh DESC NULLS LAST, p.plant_label`),
      fieldConfig: {
        defaults: { color: { mode: FieldColorModeId.ContinuousYlRd }, thresholds: greenThresholds },
        overrides: [
          byName("energy_kwh", [
            { id: "unit", value: UNIT_KWH },
            { id: "displayName", value: "Energy (measured, usable)" },
          ]),
          byName("capacity_kw", [
            { id: "unit", value: "suffix: kW" },
            { id: "displayName", value: "Capacity" },
          ]),
          byName("data_quality", [{ id: "displayName", value: "Data quality" }]),
          byName("measured_hours", [{ id: "displayName", value: "Measured hours (usable)" }]),
          byName("excluded_kwh", [
            { id: "unit", value: UNIT_KWH },
            { id: "displayName", value: "Excluded energy (unusable grade)" },
          ]),
        ],
      },
      options: {
        view: { id: MapCenterID.Coords, lat: 36.0, lon: 127.8, zoom: 6.6, allLayers: true },
        controls: { showZoom: true, mouseWheelZoom: true, showAttribution: true, showScale: true, showDebug: false, showMeasure: false },
        basemap: { type: "default", name: "Basemap", config: {} },
        layers: [
          {
            type: "markers",
            name: "Plants",
            tooltip: true,
            location: { mode: FrameGeometrySourceMode.Coords, latitude: "lat", longitude: "lon" },
            config: {
              showLegend: true,
              style: {
                size: { field: "energy_kwh", fixed: 5, min: 4, max: 24 },
                color: { field: "energy_kwh", fixed: "dark-green" },
                opacity: 0.8,
                symbol: { mode: "fixed", fixed: "img/icons/marker/circle.svg" },
                symbolAlign: { horizontal: "center", vertical: "center" },
                rotation: { fixed: 0, min: -360, max: 360, mode: "mod" },
                textConfig: { fontSize: 12, offsetX: 0, offsetY: 0, textAlign: "center", textBaseline: "middle" },
              },
            },
          },
        ],
        tooltip: { mode: TooltipMode.Details },
      },
    }),
    stat({
      title: "Energy by operator (measured)",
      description:
        "Sum of measured hourly generation in the selected range over usable hours (filled values excluded; units graded 전면무효 and 시간별무효 hours before hourly_valid_from excluded — see “Excluded energy”). kWh, never rescaled to MWh.",
      gridPos: { h: 4, w: 12, x: 12, y: 0 }, unit: UNIT_KWH,
      decimals: 0,
      fields: "/^energy_kwh$/",
      targets: energyByOperator("coalesce(sum(g.generation) FILTER (WHERE g.usable), 0)", "energy_kwh"),
    }),
    stat({
      title: "Excluded energy (unusable grade)",
      description:
        "Measured energy the totals leave out, by operator: units graded 전면무효 (unusable) and hours of units graded 시간별무효 (hourly values unusable; before hourly_valid_from when the unit has one). DOMAIN §5.4.",
      gridPos: { h: 4, w: 12, x: 12, y: 4 }, unit: UNIT_KWH,
      decimals: 0,
      fields: "/^excluded_kwh$/",
      thresholds: { mode: ThresholdsMode.Absolute, steps: [{ color: "text", value: null }] },
      targets: energyByOperator("coalesce(sum(g.generation) FILTER (WHERE NOT g.usable), 0)", "excluded_kwh"),
    }),
    stat({
      title: "Plants reporting",
      description: "Plants with at least one measured hour in the range, of the selected plants with coordinates.",
      gridPos: { h: 4, w: 12, x: 12, y: 8 },
      decimals: 0,
      fields: "/^(reporting|with_coordinates)$/",
      overrides: [byName("reporting", [{ id: "displayName", value: "Reporting" }]), byName("with_coordinates", [{ id: "displayName", value: "With coordinates" }])],
      targets: query("table", `
          SELECT count(DISTINCT g.plant_id) FILTER (WHERE g.generation IS NOT NULL)::int AS reporting,
                 (SELECT count(*) FROM reporting.pv_plants p
                  WHERE p.latitude IS NOT NULL AND p.operator IN (\${operator:sqlstring}) AND p.plant_id IN (\${plant:sqlstring}))::int AS with_coordinates
          FROM reporting.pv_generation_hourly g
          WHERE $__timeFilter(g.datetime) AND ${PLANT_FILTER}`),
    }),
    stat({
      title: "Gap-filled energy",
      description: "Energy of usable hours without a measured value that impute filled (generation NULL, generation_filled set).",
      gridPos: { h: 4, w: 12, x: 12, y: 12 }, unit: UNIT_KWH,
      decimals: 0,
      fields: "/^filled_kwh$/",
      targets: energyByOperator("coalesce(sum(g.generation_filled) FILTER (WHERE g.generation IS NULL AND g.usable), 0)", "filled_kwh"),
    }),
    timeSeries({
      title: "Hourly generation per plant",
      description:
        "kWh per hour at interval start (KST). Solid: measured. Dashed with points, “<plant> (filled)”: hours the source had no value for, as impute filled them. Dotted, “<plant> (excluded: …)”: measured hours of an unusable grade (전면무효, 시간별무효), left out of every total.",
      gridPos: { h: 11, w: 24, x: 0, y: 16 }, unit: UNIT_KWH,
      custom: { fillOpacity: 0 },
      overrides: [byRegexp(".*\\(filled\\)$", FILLED_POINTS_STYLE), byRegexp(".*\\(excluded: .*\\)$", EXCLUDED_STYLE)],
      targets: generationPerPlant("$__timeGroupAlias(g.datetime, '1h')", "$__timeGroupAlias(g.datetime, '1h')"),
    }),
    timeSeries({
      title: "Daily generation per plant",
      description:
        "kWh per KST day, stacked by plant over usable hours. Solid bars: measured; light dashed bars “<plant> (filled)”: energy of the hours impute filled; dotted, unstacked “<plant> (excluded: …)”: measured energy of an unusable grade, not part of the stack. Days at the edges of the range are partial.",
      gridPos: { h: 11, w: 24, x: 0, y: 27 }, unit: UNIT_KWH,
      custom: { drawStyle: GraphDrawStyle.Bars, fillOpacity: 80, stacking: { mode: StackingMode.Normal, group: "A" } },
      overrides: [
        byRegexp(".*\\(filled\\)$", [{ id: "custom.fillOpacity", value: 20 }, { id: "custom.lineStyle", value: { fill: "dash", dash: [10, 6] } }]),
        byRegexp(".*\\(excluded: .*\\)$", [...EXCLUDED_STYLE, { id: "custom.stacking", value: { mode: StackingMode.None, group: "excluded" } }]),
      ],
      targets: generationPerPlant("date_trunc('day', g.datetime, 'Asia/Seoul') AS time", "date_trunc('day', g.datetime, 'Asia/Seoul')"),
    }),
  ],
);
