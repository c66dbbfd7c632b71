// Make a database ready for the steps: migrations, then reference data. Idempotent and cheap
// when nothing changed, so the first step of every flow can call it (Windmill has no start hook).
import { seedKospoPlants } from "../reference/seed_plants.ts";
import { seedKoenPlants } from "../reference/seed_koen_plants.ts";
import { seedAsosStations } from "../reference/seed_stations.ts";
import { ensureWeatherViews, refreshPlantStation } from "../sources/asos/plant_station.ts";
import { syncAssetCatalog } from "../store/asset_catalog.ts";
import { migrate } from "./migrate.ts";
import type { Pool } from "./resource.ts";

export async function ensureReady(sql: Pool): Promise<string[]> {
  const applied = await migrate(sql);
  // The asset definitions as rows, for the reporting views (code versions, expected partitions).
  await syncAssetCatalog(sql);
  await seedKospoPlants(sql);
  await seedKoenPlants(sql);
  await seedAsosStations(sql);
  // Keep these two last: they derive from every plant table and station seeded above.
  await refreshPlantStation(sql);
  await ensureWeatherViews(sql);
  return applied;
}
