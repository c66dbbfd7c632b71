// Every provisioned dashboard, and the files `npm run wmill:gen` writes for Grafana.
import { DASHBOARDS_DIR, provisioningFiles } from "../provisioning.ts";
import { renderDashboard, type PvDashboard } from "../model.ts";
import { dataHealth } from "./data_health.ts";
import { pvOverview } from "./pv_overview.ts";
import { weatherVsGeneration } from "./weather.ts";

export const DASHBOARDS: PvDashboard[] = [pvOverview, weatherVsGeneration, dataHealth];

/** Path (relative to the project root) → content, for src/codegen/main.ts generatedFiles(). */
export function grafanaFiles(): Map<string, string> {
  const files = provisioningFiles();
  for (const d of DASHBOARDS) files.set(`${DASHBOARDS_DIR}/${d.file}.json`, renderDashboard(d));
  return files;
}
