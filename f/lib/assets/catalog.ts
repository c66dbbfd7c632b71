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

export const ASSETS: AssetDef[] = [kospoRaw, kospoHourly];

export const graph = buildGraph(ASSETS);
