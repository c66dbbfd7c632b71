// API resources for the local engine: the real services when a key is configured, otherwise
// the built-in simulators (same client code path, synthetic data, and the CLI says so).
import { ConfigError } from "../config/errors.ts";
import { normalizeServiceKey } from "../../f/lib/sources/datagokr/service_key.ts";
import { DEFAULT_ASOS_API_URL, DEFAULT_KOEN_BASE_URL, DEFAULT_KOSPO_API_URL, dataGoKrKey, type DataGoKrKeyVariable, type Env } from "../config/env.ts";


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

/** A data.go.kr API: the configured key and URL, or the built-in simulator (said in one line). */
async function dataGoKrApi(
  env: Env,
  o: { keyVariable: DataGoKrKeyVariable; urlVariable: "KOSPO_API_URL" | "ASOS_API_URL"; defaultUrl: string; synthetic: string; said: (url: string) => string },
  simulator: () => Promise<{ url: string; key: string; close(): Promise<void> }>,
  opened: { closers: (() => Promise<void>)[]; synthetic: string[]; log: (s: string) => void },
): Promise<DataGoKrResource> {
  const key = dataGoKrKey(env, o.keyVariable);
  const url = env[o.urlVariable];
  if (key) {
    checkKey(key);
    return { service_key: key.key, base_url: url ?? o.defaultUrl, key_name: key.name };
  }
  if (url) {
    throw new ConfigError(`${o.urlVariable} is set but ${o.keyVariable} (or DATA_GO_KR_API_KEY) is not: set the key for that server, or unset ${o.urlVariable} to use the simulator`);
  }
  // Started lazily: the simulator is only needed when no key is configured.
  const sim = await simulator();
  opened.closers.push(() => sim.close());
  opened.synthetic.push(o.synthetic);
  opened.log(`No ${o.keyVariable} set: ${o.said(sim.url)}`);
  return { service_key: sim.key, base_url: sim.url, key_name: o.keyVariable };
}

export async function openSources(env: Env, log: (s: string) => void): Promise<SourceResources> {
  const closers: (() => Promise<void>)[] = [];
  const synthetic: string[] = [];
  const opened = { closers, synthetic, log };
  const kospo_api = await dataGoKrApi(env, { keyVariable: "NAMBU_API_KEY", urlVariable: "KOSPO_API_URL", defaultUrl: DEFAULT_KOSPO_API_URL, synthetic: "KOSPO",
    said: (url) => `KOSPO data comes from the built-in simulator at ${url} and is SYNTHETIC, not real generation.` }, async () => {
    const { startKospoSim, DEFAULT_SIM_KEY } = await import("../simulators/kospo.ts");
    const sim = await startKospoSim({ meterGaps: SIM_METER_GAPS });
    return { url: sim.url, key: DEFAULT_SIM_KEY, close: () => sim.close() };
  }, opened);
  const asos_api = await dataGoKrApi(env, { keyVariable: "ASOS_API_KEY", urlVariable: "ASOS_API_URL", defaultUrl: DEFAULT_ASOS_API_URL, synthetic: "ASOS weather",
    said: (url) => `weather comes from the built-in ASOS simulator at ${url} and is SYNTHETIC, not real observations.` }, async () => {
    const { startAsosSim, DEFAULT_ASOS_SIM_KEY } = await import("../simulators/asos.ts");
    const sim = await startAsosSim({});
    return { url: sim.url, key: DEFAULT_ASOS_SIM_KEY, close: () => sim.close() };
  }, opened);
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
