// All 31 KOSPO units for the backfill and memory benchmarks. 18 units have coordinates in the
// reference data; the other 13 never returned data, so the planner leaves them out of a
// "every unit" backfill and the simulator serves nothing for them. To load the same 31 units
// with both approaches, the benchmark gives those 13 the coordinates of their site (approximate)
// — in the simulator's unit list, and in this process's copy of the reference data, which is what
// the plan step's seeding writes to nambu_plants (no product file is changed).
import { KOSPO_UNITS } from "../../f/lib/reference/plants_gen.ts";
import type { KospoSimUnit } from "../../src/simulators/kospo.ts";

/** Approximate site coordinates of the units the reference data has none for. */
const SITE_BY_GENCD: Record<string, { lat: number; lon: number; site: string }> = {
  "5707": { lat: 37.77, lon: 127.99, site: "Hwachon (Hongcheon)" },
  "9977": { lat: 37.1836, lon: 128.4617, site: "Yeongwol" },
  "997V": { lat: 37.1836, lon: 128.4617, site: "Yeongwol" },
  "997H": { lat: 35.0672, lon: 127.7514, site: "Hadong" },
  "997J": { lat: 35.0672, lon: 127.7514, site: "Hadong" },
  "997K": { lat: 35.0672, lon: 127.7514, site: "Hadong" },
  "997L": { lat: 35.0672, lon: 127.7514, site: "Hadong" },
  "997M": { lat: 35.0672, lon: 127.7514, site: "Hadong" },
  H997: { lat: 35.0672, lon: 127.7514, site: "Hadong" },
  "9984": { lat: 33.47, lon: 126.78, site: "Songdang-ri (Jeju)" },
  AC39: { lat: 33.32, lon: 126.17, site: "Yongsu-ri (Jeju)" },
};

export interface BenchUnit {
  gencd: string;
  hogi: number;
  lat: number;
  lon: number;
  capacityKw: number;
  plantName: string;
  hadCoordinates: boolean;
}

export function allKospoUnits(): BenchUnit[] {
  return KOSPO_UNITS.map((u) => {
    const site = SITE_BY_GENCD[u.gencd];
    const lat = u.latitude ?? site?.lat;
    const lon = u.longitude ?? site?.lon;
    if (lat == null || lon == null) throw new Error(`bench: no coordinates for KOSPO unit ${u.gencd}-${u.hogi}`);
    return { gencd: u.gencd, hogi: u.hogi, lat, lon, capacityKw: u.capacity_kw ?? 1000, plantName: u.plant_name, hadCoordinates: u.latitude != null };
  });
}

/** The simulator's unit list: every one of the 31 units serves data from `firstDate`. */
export function simUnits(firstDate: string): KospoSimUnit[] {
  return allKospoUnits().map((u) => ({ gencd: u.gencd, hogi: u.hogi, capacityKw: u.capacityKw, firstDate, lat: u.lat, lon: u.lon }));
}

/**
 * Give the 13 coordinate-less units their site coordinates in this process's reference data, so
 * the plan step (which seeds nambu_plants from it) includes them in an "every unit" backfill.
 * Must be called in the process that runs the steps, before the flow starts.
 */
export function includeAllUnitsInPlanning(): number {
  let n = 0;
  for (const u of KOSPO_UNITS) {
    if (u.latitude != null && u.longitude != null) continue;
    const site = SITE_BY_GENCD[u.gencd];
    if (!site) throw new Error(`bench: no coordinates for KOSPO unit ${u.gencd}-${u.hogi}`);
    u.latitude = site.lat;
    u.longitude = site.lon;
    patched.add(u);
    n++;
  }
  return n;
}

const patched = new Set<(typeof KOSPO_UNITS)[number]>();

/** Undo includeAllUnitsInPlanning: an "every unit" backfill plans the 18 units of the reference data again. */
export function planOnlyReferenceUnits(): void {
  for (const u of patched) {
    u.latitude = null;
    u.longitude = null;
  }
  patched.clear();
}
