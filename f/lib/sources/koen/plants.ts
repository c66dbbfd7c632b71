// KOEN plant units: (발전구분, 호기) as the source spells them. Seeded from the reference list;
// units a download introduces are added by the ingest with NULL coordinates (and reported).
import type { Sql } from "../../db/resource.ts";
import { InvalidPlanRequest } from "../../planner/errors.ts";
import { KOEN_UNITS } from "../../reference/plants_gen.ts";

/** Plant names (발전구분) known to the database, plus the shipped reference list. */
export async function knownKoenPlantNames(sql: Sql): Promise<Set<string>> {
  const rows = await sql<{ plant_name: string }[]>`select distinct plant_name from public.namdong_plants`;
  return new Set([...KOEN_UNITS.map((u) => u.plant_name), ...rows.map((r) => r.plant_name)]);
}

/** A plan request for KOEN with a plant or unit filter (reported as the InvalidPlanRequest it is). */
export class KoenFilterNotSupported extends InvalidPlanRequest {
  constructor(what: string) {
    super(`KOEN downloads cover every plant at once: ${what} is not supported for source koen (omit it)`);
    this.name = "InvalidPlanRequest";
  }
}

/** KOEN assets have no plant dimension: one monthly download holds every unit. */
export async function koenDims(filter: { plant?: string; unit?: number }): Promise<null> {
  if (filter.plant && filter.plant.trim() !== "") throw new KoenFilterNotSupported(`a plant filter (${filter.plant})`);
  if (filter.unit && filter.unit > 0) throw new KoenFilterNotSupported(`a unit filter (${filter.unit})`);
  return null;
}
