// The project's assets. Other sources add theirs here as they land.
import { buildGraph, type AssetDef } from "./graph.ts";
import { daily, dynamicKeys, product } from "./partitions.ts";

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

export const ASSETS: AssetDef[] = [kospoRaw, kospoHourly, asosRaw, asosHourly];

export const graph = buildGraph(ASSETS);
