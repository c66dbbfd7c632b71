// KOEN (한국남동발전) as a source: koenergy.kr CSV downloads, one per calendar month holding every
// plant, kept byte for byte in raw.koen_files and staged as hourly rows (label N → (N−1):00 KST).
// One month at a time with a pause between months (the site is fragile). A body that is HTML, too
// small, without the expected header or with garbled plant names fails its month with the reason; a
// certificate that cannot be verified stops the chunk (every later month would fail the same way)
// after recording its months as failed.
import { z } from "zod";
import { NO_UNIT } from "../../assets/partition_key.ts";
import type { CopyValue } from "../../db/copy.ts";
import { sleep } from "../../runtime/sleep.ts";
import { todayKst } from "../../time/kst.ts";
import { SourceError, TlsVerificationFailed } from "../errors.ts";
import type { Fetched, Source } from "../source.ts";
import { createKoenClient, type KoenDownload } from "./client.ts";
import { readKoenCsv, type KoenCsvRow } from "./csv.ts";
import { koenMonthWindow, type KoenMonthWindow } from "./months.ts";
import { knownKoenPlantNames, koenDims } from "./plants.ts";
import { insertKoenFiles, koenPartialMonths, latestKoenFiles, type KoenFetch, type KoenStored } from "./raw_store.ts";
import { NAMDONG_GENERATION } from "./table.ts";
import { koenRowToHourly } from "./to_hourly.ts";

/** The koen_site resource: the site's base URL, the explicit opt-out of certificate checks, the pause between months. */
export const koenSite = z.object({
  base_url: z.string(),
  tls_insecure: z.boolean().nullish(),
  pause_ms: z.number().int().min(0).nullish(),
});
export type KoenSite = z.output<typeof koenSite>;

export const koen: Source<null, KoenSite, KoenFetch, KoenStored> = {
  name: "koen", label: "KOEN", description: "koen = 한국남동발전 PV (koenergy.kr, whole months)",
  units: {
    dimension: null, filters: [], codec: NO_UNIT, // a month's download holds every plant: partitions have no unit
    plan: (_sql, f) => koenDims(f),
    label: (c) => `${c.start.slice(0, 7)}..${c.end.slice(0, 7)}`,
  },
  // Months. One chunk = one sequential series of downloads (the site is fragile: no parallel sessions).
  planning: { maxChunk: 120, publishesUpTo: "yesterday", alwaysPlan: koenPartialMonths },
  api: { resource: "koen_site", schema: koenSite },
  retry: { attempts: 2, seconds: 60 },
  async fetch(r, store) {
    const today = todayKst();
    const tlsInsecure = r.api.tls_insecure === true;
    const pauseMs = r.api.pause_ms ?? 5_000;
    const known = await knownKoenPlantNames(r.sql);
    const client = createKoenClient({ baseUrl: r.api.base_url, tlsInsecure, signal: r.signal });
    const partial: string[] = [];
    const failures: { month: string; error: string }[] = [];
    let bytes = 0;
    r.stats.extra = { partial, failures, bytes, tls_insecure: tlsInsecure };
    const record = async (w: KoenMonthWindow, outcome: Fetched<KoenFetch>["outcome"], d: KoenDownload | null, rows: number, error: string | null, encoding: string | null) => {
      if (outcome !== "failed" && w.partial) partial.push(w.month);
      if (error) failures.push({ month: w.month, error });
      bytes += d?.body.length ?? 0;
      r.stats.extra.bytes = bytes;
      await store([{
        partition: w.month,
        outcome,
        rows: outcome === "data" ? rows : 0,
        version: outcome === "failed" ? null : (d?.sha256.slice(0, 16) ?? null),
        error,
        payload: {
          month: w.month,
          windowStart: w.start,
          windowEnd: w.end,
          partial: w.partial,
          partialReason: w.partialReason,
          request: d?.request ?? { method: "POST", url: `${client.baseUrl}/kosep/gv/nf/dt/nfdt21/csvDown.do`, window: [w.start, w.end] },
          status: d?.status ?? null,
          contentType: d?.contentType ?? null,
          body: d?.body ?? null,
          sha256: d?.sha256 ?? null,
          encoding,
          tlsInsecure,
        },
      }]);
    };
    try {
      for (let i = 0; i < r.todo.length; i++) {
        const w = koenMonthWindow(r.todo[i], today);
        if (!w) throw new RangeError(`month ${r.todo[i]} has no day before today (${today} KST): nothing can be downloaded yet`);
        if (i > 0 && pauseMs > 0) await sleep(pauseMs, r.signal);
        let d: KoenDownload | null = null;
        try {
          d = await client.download(w);
          const csv = readKoenCsv(d.body, { contentType: d.contentType, status: d.status, request: client.describe(w), window: { start: w.start, end: w.end }, known });
          await record(w, csv.rows.length ? "data" : "empty", d, csv.rows.length, null, csv.encoding);
          if (w.partial) console.log(`KOEN ${w.month}: partial (${w.partialReason}); a later run fetches it again`);
        } catch (e) {
          if (!(e instanceof SourceError)) throw e; // abort or a bug: stop, the step is retried or the run stops
          const error = `${e.code}: ${e.message}`;
          console.error(`KOEN ${w.month} FAILED: ${error}`);
          await record(w, "failed", d, 0, error, null);
          if (e instanceof TlsVerificationFailed) {
            for (const m of r.todo.slice(i + 1)) {
              const rest = koenMonthWindow(m, today);
              if (rest) await record(rest, "failed", null, 0, `${e.code}: not attempted after a certificate failure: ${e.message}`, null);
            }
            throw e;
          }
        }
      }
    } finally {
      client.close();
      Object.assign(r.stats, { requests: client.stats().requests, retries: client.stats().retries });
    }
  },
  raw: { table: "raw.koen_files", insert: insertKoenFiles, latest: latestKoenFiles },
  stage(s) {
    const window = s.window;
    const csv = readKoenCsv(s.body, { contentType: s.contentType, status: s.status, request: `csvDown.do ${window.start}..${window.end}`, window, known: s.known });
    return { any: csv.rows.length > 0, rows: koenRows(csv.rows) };
  },
  table: NAMDONG_GENERATION,
};

function* koenRows(rows: KoenCsvRow[]): Generator<CopyValue[]> {
  for (const r of rows) {
    for (const h of koenRowToHourly(r)) yield [h.plantName, h.hogi, h.datetime, h.hour, h.generation, h.dailyTotal, h.dailyAvg, h.dailyMax, h.dailyMin];
  }
}

