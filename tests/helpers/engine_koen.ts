// Engine options for KOEN tests: the test database and a koenergy.kr simulator as the site.
import type { EngineOptions } from "../../src/flow/engine.ts";
import type { TestDb } from "./db.ts";
import { ROOT } from "./engine.ts";

export function koenEngineFor(db: TestDb, koenUrl: string, site: { tls_insecure?: boolean; pause_ms?: number } = {}): EngineOptions {
  return {
    root: ROOT,
    resources: { db: db.resource, koen_site: { base_url: koenUrl, pause_ms: 0, ...site } },
    retryDelayScale: 0,
  };
}
