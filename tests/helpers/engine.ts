// Engine options for tests: the test database and a KOSPO simulator as the API.
import { join } from "node:path";
import type { EngineOptions } from "../../src/flow/engine.ts";
import { DEFAULT_SIM_KEY } from "../../src/simulators/kospo.ts";
import type { TestDb } from "./db.ts";

export const ROOT = join(import.meta.dirname, "..", "..");

export function engineFor(db: TestDb, kospoUrl: string, extra: Partial<EngineOptions> = {}): EngineOptions {
  return {
    root: ROOT,
    resources: { db: db.resource, kospo_api: { service_key: DEFAULT_SIM_KEY, base_url: kospoUrl, key_name: "NAMBU_API_KEY" } },
    retryDelayScale: 0,
    ...extra,
  };
}
