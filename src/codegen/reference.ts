// data/*.csv|json → f/lib/reference/*_gen.ts: the reference tables the steps seed from, as
// code, because a Windmill worker only has the deployed scripts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Papa from "papaparse";

type Row = Record<string, string>;

function readCsv(file: string): Row[] {
  const text = readFileSync(file, "utf8").replace(/^\uFEFF/, "");
  const out = Papa.parse<Row>(text, { header: true, skipEmptyLines: true, transformHeader: (h) => h.trim(), transform: (v) => v.trim() });
  if (out.errors.length) throw new Error(`${file}: ${out.errors[0].message} (row ${out.errors[0].row})`);
  return out.data;
}

const num = (s: string | undefined): number | null => (s === undefined || s === "" ? null : Number(s));
const str = (s: string | undefined): string | null => (s === undefined || s === "" ? null : s);

export function renderPlantsModule(root: string): string {
  const plants = readCsv(join(root, "data", "plants.csv"));
  const codes = JSON.parse(readFileSync(join(root, "data", "nambu_plant_codes.json"), "utf8")) as {
    plant_code: string; unit_code: string; plant_name: string; unit_name: string;
  }[];
  const kospo = codes.map((c) => {
    const p = plants.find((r) => r.operator === "kospo" && r.source_code === c.plant_code && r.unit === c.unit_code);
    return {
      gencd: c.plant_code,
      hogi: Number(c.unit_code),
      plant_name: c.plant_name,
      unit_name: c.unit_name,
      latitude: num(p?.lat),
      longitude: num(p?.lon),
      capacity_kw: num(p?.capacity_kw),
      data_quality: str(p?.data_quality),
      hourly_valid_from: str(p?.hourly_valid_from),
    };
  });
  const koen = plants
    .filter((r) => r.operator === "koen")
    .map((r) => ({
      plant_name: r.source_code,
      hogi: r.unit === "" ? 1 : Number(r.unit),
      display_name: r.plant_name,
      latitude: num(r.lat),
      longitude: num(r.lon),
      capacity_kw: num(r.capacity_kw),
      data_quality: str(r.data_quality),
      hourly_valid_from: str(r.hourly_valid_from),
    }));
  return [
    "// Generated from data/plants.csv and data/nambu_plant_codes.json by `npm run wmill:gen`. Do not edit.",
    "export type KospoUnitRef = { gencd: string; hogi: number; plant_name: string; unit_name: string; latitude: number | null; longitude: number | null; capacity_kw: number | null; data_quality: string | null; hourly_valid_from: string | null };",
    "export type KoenUnitRef = { plant_name: string; hogi: number; display_name: string; latitude: number | null; longitude: number | null; capacity_kw: number | null; data_quality: string | null; hourly_valid_from: string | null };",
    `export const KOSPO_UNITS: KospoUnitRef[] = ${JSON.stringify(kospo, null, 1)};`,
    `export const KOEN_UNITS: KoenUnitRef[] = ${JSON.stringify(koen, null, 1)};`,
    "",
  ].join("\n");
}

/** data/asos_stations.csv → f/lib/reference/stations_gen.ts (UTF-8 BOM stripped, DOMAIN §9.25). */
export function renderStationsModule(root: string): string {
  const rows = readCsv(join(root, "data", "asos_stations.csv"));
  const stations = rows.map((r, i) => {
    const stn_id = Number(r.stn_id);
    const latitude = Number(r.lat);
    const longitude = Number(r.lon);
    const flag = r.has_solar_sensor?.toLowerCase();
    if (!Number.isInteger(stn_id) || stn_id <= 0 || !r.name || !Number.isFinite(latitude) || !Number.isFinite(longitude) || (flag !== "true" && flag !== "false")) {
      throw new Error(`data/asos_stations.csv row ${i + 2}: needs stn_id, name, lat, lon and has_solar_sensor true/false`);
    }
    return { stn_id, station_name: r.name, office: str(r.office), latitude, longitude, has_solar_sensor: flag === "true" };
  });
  const ids = new Set(stations.map((s) => s.stn_id));
  if (ids.size !== stations.length) throw new Error("data/asos_stations.csv: duplicate stn_id");
  stations.sort((a, b) => a.stn_id - b.stn_id);
  return [
    "// Generated from data/asos_stations.csv by `npm run wmill:gen`. Do not edit.",
    "export type AsosStationRef = { stn_id: number; station_name: string; office: string | null; latitude: number; longitude: number; has_solar_sensor: boolean };",
    `export const ASOS_STATIONS: AsosStationRef[] = ${JSON.stringify(stations, null, 1)};`,
    "",
  ].join("\n");
}
