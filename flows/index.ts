// Every flow the project defines; both engines and the codegen read this list.
import type { FlowDef } from "../src/flow/dsl.ts";
import { backfill } from "./backfill.ts";
import { FLOW_IDS } from "./flow_ids.ts";
import { dailyNambu } from "./daily_nambu.ts";
import { dailyWeather } from "./daily_weather.ts";
import { monthlyNamdong } from "./monthly_namdong.ts";
import { probe } from "./probe.ts";

export const FLOWS: FlowDef[] = [backfill, dailyNambu, dailyWeather, monthlyNamdong, probe];
if (FLOWS.map((f) => f.id).join() !== FLOW_IDS.join()) throw new Error(`flows/flow_ids.ts lists ${FLOW_IDS.join(", ")}; FLOWS has ${FLOWS.map((f) => f.id).join(", ")}`);

export function flowById(id: string): FlowDef | undefined {
  return FLOWS.find((f) => f.id === id);
}
