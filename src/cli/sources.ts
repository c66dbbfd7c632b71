// API resources for the local engine: the real services when a key is configured, otherwise
// the built-in simulators (same client code path, synthetic data, and the CLI says so).
import { ConfigError } from "../config/errors.ts";
import { normalizeServiceKey } from "../../f/lib/sources/datagokr/service_key.ts";
import { DEFAULT_ASOS_API_URL, DEFAULT_KOEN_BASE_URL, DEFAULT_KOSPO_API_URL, dataGoKrKey, type Env } from "../config/env.ts";


/**
 * Share of simulated unit-days with a meter outage when `npm start` runs on the simulators (1–6
 * daytime hours, or one outage in eight the whole day: src/simulators/meter_gaps.ts), as real meters have.
 */
export const SIM_METER_GAPS = 0.04;

export interface DataGoKrResource {
  service_key: string;
  base_url: string;
  key_name: string;
  timeout_ms?: number; // per request (default 20000)
}

/** The koenergy.kr site (no key): base URL and the explicit opt-out of certificate verification. */
export interface KoenSiteResource {
  base_url: string;
  tls_insecure?: boolean;
  pause_ms?: number; // between monthly downloads (default 5000)
}

export interface SourceResources {
  kospo_api: DataGoKrResource;
  asos_api: DataGoKrResource;
  koen_site: KoenSiteResource;
  synthetic: string[];
  close(): Promise<void>;
}

export async function openSources(env: Env, log: (s: string) => void): Promise<SourceResources> {
  const closers: (() => Promise<void>)[] = [];
  const synthetic: string[] = [];
  let kospo_api: DataGoKrResource;
  const key = dataGoKrKey(env, "NAMBU_API_KEY");
  if (key) {
    checkKey(key);
    kospo_api = { service_key: key.key, base_url: env.KOSPO_API_URL ?? DEFAULT_KOSPO_API_URL, key_name: key.name };
  } else if (env.KOSPO_API_URL) {
    throw new ConfigError("KOSPO_API_URL is set but NAMBU_API_KEY (or DATA_GO_KR_API_KEY) is not: set the key for that server, or unset KOSPO_API_URL to use the simulator");
  } else {
    // Imported lazily: the simulator is only needed when no key is configured.
    const { startKospoSim, DEFAULT_SIM_KEY } = await import("../simulators/kospo.ts");
    const sim = await startKospoSim({ meterGaps: SIM_METER_GAPS });
    closers.push(() => sim.close());
    kospo_api = { service_key: DEFAULT_SIM_KEY, base_url: sim.url, key_name: "NAMBU_API_KEY" };
    synthetic.push("KOSPO");
    log(`No NAMBU_API_KEY set: KOSPO data comes from the built-in simulator at ${sim.url} and is SYNTHETIC, not real generation.`);
  }
  let asos_api: DataGoKrResource;
  const asosKey = dataGoKrKey(env, "ASOS_API_KEY");
  if (asosKey) {
    checkKey(asosKey);
    asos_api = { service_key: asosKey.key, base_url: env.ASOS_API_URL ?? DEFAULT_ASOS_API_URL, key_name: asosKey.name };
  } else if (env.ASOS_API_URL) {
    throw new ConfigError("ASOS_API_URL is set but ASOS_API_KEY (or DATA_GO_KR_API_KEY) is not: set the key for that server, or unset ASOS_API_URL to use the simulator");
  } else {
    const { startAsosSim, DEFAULT_ASOS_SIM_KEY } = await import("../simulators/asos.ts");
    const sim = await startAsosSim({});
    closers.push(() => sim.close());
    asos_api = { service_key: DEFAULT_ASOS_SIM_KEY, base_url: sim.url, key_name: "ASOS_API_KEY" };
    synthetic.push("ASOS weather");
    log(`No ASOS_API_KEY set: weather comes from the built-in ASOS simulator at ${sim.url} and is SYNTHETIC, not real observations.`);
  }
  let koen_site: KoenSiteResource;
  const koenReal = envFlag(env.KOEN_USE_REAL_SITE, "KOEN_USE_REAL_SITE");
  const koenInsecure = envFlag(env.KOEN_TLS_INSECURE, "KOEN_TLS_INSECURE");
  if (env.KOEN_BASE_URL || koenReal) {
    koen_site = { base_url: env.KOEN_BASE_URL ?? DEFAULT_KOEN_BASE_URL, ...(koenInsecure ? { tls_insecure: true } : {}) };
    if (koenInsecure) log(`WARNING: KOEN_TLS_INSECURE=1: TLS certificates of ${koen_site.base_url} will NOT be verified; this is recorded on every run.`);
  } else {
    const { startKoenSim } = await import("../simulators/koen.ts");
    const sim = await startKoenSim({ meterGaps: SIM_METER_GAPS });
    closers.push(() => sim.close());
    koen_site = { base_url: sim.url, pause_ms: 0 };
    synthetic.push("KOEN");
    log(`KOEN_BASE_URL and KOEN_USE_REAL_SITE unset: KOEN data comes from the built-in koenergy.kr simulator at ${sim.url} and is SYNTHETIC, not real generation.`);
  }
  return {
    kospo_api,
    asos_api,
    koen_site,
    synthetic,
    close: async () => {
      for (const c of closers) await c();
    },
  };
}

/** "1"/"true"/"yes" → true, unset/"0"/"false"/"no" → false; anything else is a configuration error. */
function envFlag(value: string | undefined, name: string): boolean {
  const v = (value ?? "").trim().toLowerCase();
  if (["1", "true", "yes"].includes(v)) return true;
  if (["", "0", "false", "no"].includes(v)) return false;
  throw new ConfigError(`${name} must be 1 or 0, got ${JSON.stringify(value)}`);
}

/** A key that cannot be right (empty, quoted, whitespace inside, broken %-encoding) is a configuration error before anything runs. */
function checkKey(k: { key: string; name: string }): void {
  try {
    normalizeServiceKey(k.key, k.name);
  } catch (e) {
    throw new ConfigError(e instanceof Error ? e.message : String(e), { cause: e });
  }
}
