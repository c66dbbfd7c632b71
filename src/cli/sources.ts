// API resources for the local engine: the real services when a key is configured, otherwise
// the built-in simulators (same client code path, synthetic data, and the CLI says so).
import { ConfigError } from "../config/errors.ts";
import { DEFAULT_KOSPO_API_URL, dataGoKrKey, type Env } from "../config/env.ts";

export interface DataGoKrResource {
  service_key: string;
  base_url: string;
  key_name: string;
}

export interface SourceResources {
  kospo_api: DataGoKrResource;
  synthetic: string[];
  close(): Promise<void>;
}

export async function openSources(env: Env, log: (s: string) => void): Promise<SourceResources> {
  const closers: (() => Promise<void>)[] = [];
  const synthetic: string[] = [];
  let kospo_api: DataGoKrResource;
  const key = dataGoKrKey(env, "NAMBU_API_KEY");
  if (key) {
    kospo_api = { service_key: key.key, base_url: env.KOSPO_API_URL ?? DEFAULT_KOSPO_API_URL, key_name: key.name };
  } else if (env.KOSPO_API_URL) {
    throw new ConfigError("KOSPO_API_URL is set but NAMBU_API_KEY (or DATA_GO_KR_API_KEY) is not: set the key for that server, or unset KOSPO_API_URL to use the simulator");
  } else {
    // Imported lazily: the simulator is only needed when no key is configured.
    const { startKospoSim, DEFAULT_SIM_KEY } = await import("../../tests/sim/kospo.ts");
    const sim = await startKospoSim({});
    closers.push(() => sim.close());
    kospo_api = { service_key: DEFAULT_SIM_KEY, base_url: sim.url, key_name: "NAMBU_API_KEY" };
    synthetic.push("KOSPO");
    log(`No NAMBU_API_KEY set: KOSPO data comes from the built-in simulator at ${sim.url} and is SYNTHETIC, not real generation.`);
  }
  return {
    kospo_api,
    synthetic,
    close: async () => {
      for (const c of closers) await c();
    },
  };
}
