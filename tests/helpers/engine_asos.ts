// Engine options for tests that need weather: the test database, a KOSPO and an ASOS simulator.
import type { EngineOptions } from "../../src/flow/engine.ts";
import { DEFAULT_ASOS_SIM_KEY } from "../../src/simulators/asos.ts";
import { DEFAULT_SIM_KEY } from "../../src/simulators/kospo.ts";
import type { TestDb } from "./db.ts";
import { ROOT } from "./engine.ts";

export function engineWithWeather(
  db: TestDb,
  urls: { kospo?: string; asos: string },
  opts: { asosKey?: string; extra?: Partial<EngineOptions> } = {},
): EngineOptions {
  return {
    root: ROOT,
    resources: {
      db: db.resource,
      ...(urls.kospo ? { kospo_api: { service_key: DEFAULT_SIM_KEY, base_url: urls.kospo, key_name: "NAMBU_API_KEY" } } : {}),
      asos_api: { service_key: opts.asosKey ?? DEFAULT_ASOS_SIM_KEY, base_url: urls.asos, key_name: "ASOS_API_KEY" },
    },
    retryDelayScale: 0,
    ...opts.extra,
  };
}
