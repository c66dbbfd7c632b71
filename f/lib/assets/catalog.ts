// The project's assets. Other sources add theirs here as they land.
import { buildGraph, type AssetDef } from "./graph.ts";
import { daily, dynamicKeys, monthly, product } from "./partitions.ts";

export const KOSPO_UNITS = dynamicKeys("kospo_unit");

export const kospoRaw: AssetDef = {
  key: "kospo/raw",
  description: "KOSPO getDataService items exactly as received, one per unit-day (raw.kospo_items)",
  deps: [],
  partitions: product(daily("2015-01-01"), KOSPO_UNITS),
  codeVersion: "1",
  step: "f/pv/kospo_sync",
  table: "raw.kospo_items",
};

export const kospoHourly: AssetDef = {
  key: "kospo/hourly",
  description: "KOSPO hourly PV generation, interval start KST, NULL = not measured (nambu_generation)",
  deps: ["kospo/raw"],
  partitions: product(daily("2015-01-01"), KOSPO_UNITS),
  codeVersion: "1",
  step: "f/pv/ingest",
  table: "public.nambu_generation",
};

export const ASOS_STATIONS_DIM = dynamicKeys("asos_station");

export const asosRaw: AssetDef = {
  key: "asos/raw",
  description: "KMA ASOS getWthrDataList items exactly as received, one station-day per partition (raw.asos_items)",
  deps: [],
  partitions: product(daily("2010-01-01"), ASOS_STATIONS_DIM),
  codeVersion: "1",
  step: "f/pv/asos_collect",
  table: "raw.asos_items",
};

export const asosHourly: AssetDef = {
  key: "asos/hourly",
  description: "KMA ASOS hourly weather per station at observation time tm (KST), NULL = not observed (weather_asos)",
  deps: ["asos/raw"],
  partitions: product(daily("2010-01-01"), ASOS_STATIONS_DIM),
  codeVersion: "1",
  step: "f/pv/ingest",
  table: "public.weather_asos",
};

// KOEN: one monthly download covers every plant, so the partitions are months with no other dimension.
export const koenRaw: AssetDef = {
  key: "koen/raw",
  description: "KOEN koenergy.kr PV CSV downloads: exact bytes, sha256 and request, one per month (raw.koen_files)",
  deps: [],
  partitions: monthly("2022-01-01"),
  codeVersion: "1",
  step: "f/pv/koen_collect",
  table: "raw.koen_files",
};

export const koenHourly: AssetDef = {
  key: "koen/hourly",
  description: "KOEN hourly PV generation per (발전구분, 호기), interval start KST, NULL = not measured (namdong_generation)",
  deps: ["koen/raw"],
  partitions: monthly("2022-01-01"),
  codeVersion: "1",
  step: "f/pv/ingest",
  table: "public.namdong_generation",
};

export const ASSETS: AssetDef[] = [kospoRaw, kospoHourly, asosRaw, asosHourly, koenRaw, koenHourly];

export const graph = buildGraph(ASSETS);
