// Download KOEN PV CSVs for one planned chunk (a series of months) into raw.
// One month at a time, with a pause between months (the site is fragile). Each month's bytes are
// stored whatever they are; a body that is HTML, too small, without the expected header or with
// garbled plant names makes the month a failed partition with the reason. A certificate that cannot be verified stops
// the chunk (every later month would fail the same way) after recording its months as failed.
import { withDb, type PgResource } from "../lib/db/resource.ts";
import { shutdownSignal } from "../lib/runtime/shutdown.ts";
import { createKoenClient, type KoenDownload } from "../lib/sources/koen/client.ts";
import { readKoenCsv } from "../lib/sources/koen/csv.ts";
import { koenMonthWindow, monthKeys, type KoenMonthWindow } from "../lib/sources/koen/months.ts";
import { knownKoenPlantNames } from "../lib/sources/koen/plants.ts";
import { koenMonthsToSkip, storeKoenFile } from "../lib/sources/koen/raw_store.ts";
import { SourceError, TlsVerificationFailed } from "../lib/sources/errors.ts";
import { todayKst } from "../lib/time/kst.ts";

type Postgresql = PgResource;
type KoenSite = { base_url: string; tls_insecure?: boolean; pause_ms?: number };

export async function main(
  db: Postgresql,
  koen_site: KoenSite,
  run_id: string,
  chunk: { asset: string; pdim: string | null; start: string; end: string },
  refetch: boolean = false,
) {
  const today = todayKst();
  const months = monthKeys(chunk.start, chunk.end);
  const pauseMs = koen_site.pause_ms ?? 5_000;
  const tlsInsecure = koen_site.tls_insecure === true;
  return withDb(db, async (sql) => {
    const done = await koenMonthsToSkip(sql, run_id, months, refetch);
    const todo = months.filter((m) => !done.has(m));
    const known = await knownKoenPlantNames(sql);
    if (tlsInsecure) {
      // Recorded on the run, next to its inputs, so nobody mistakes these downloads for verified ones.
      await sql`update ops.runs set inputs = inputs || ${sql.json({ koen_tls_insecure: true })}::jsonb where run_id = ${run_id}`;
    }
    const client = createKoenClient({ baseUrl: koen_site.base_url, tlsInsecure, signal: shutdownSignal });
    const counts = { data: 0, empty: 0, failed: 0 };
    const partial: string[] = [];
    const failures: { month: string; error: string }[] = [];
    let bytes = 0;

    const record = async (w: KoenMonthWindow, outcome: "data" | "empty" | "failed", d: KoenDownload | null, rowCount: number, error: string | null, encoding: string | null) => {
      counts[outcome]++;
      if (outcome !== "failed" && w.partial) partial.push(w.month);
      if (error) failures.push({ month: w.month, error });
      bytes += d?.body.length ?? 0;
      await storeKoenFile(sql, run_id, {
        month: w.month,
        windowStart: w.start,
        windowEnd: w.end,
        partial: w.partial,
        partialReason: w.partialReason,
        outcome,
        request: d?.request ?? { method: "POST", url: `${client.baseUrl}/kosep/gv/nf/dt/nfdt21/csvDown.do`, window: [w.start, w.end] },
        status: d?.status ?? null,
        contentType: d?.contentType ?? null,
        body: d?.body ?? null,
        sha256: d?.sha256 ?? null,
        encoding,
        rowCount,
        tlsInsecure,
        error,
      });
    };

    try {
      for (let i = 0; i < todo.length; i++) {
        const w = koenMonthWindow(todo[i], today);
        if (!w) throw new RangeError(`month ${todo[i]} has no day before today (${today} KST): nothing can be downloaded yet`);
        if (i > 0 && pauseMs > 0) await pause(pauseMs);
        let d: KoenDownload | null = null;
        try {
          d = await client.download(w);
          const csv = readKoenCsv(d.body, {
            contentType: d.contentType,
            status: d.status,
            request: client.describe(w),
            window: { start: w.start, end: w.end },
            known,
          });
          await record(w, csv.rows.length ? "data" : "empty", d, csv.rows.length, null, csv.encoding);
          if (w.partial) console.log(`KOEN ${w.month}: partial (${w.partialReason}); a later run fetches it again`);
        } catch (e) {
          if (!(e instanceof SourceError)) throw e; // abort or a bug: stop, the step is retried or the run stops
          const error = `${e.code}: ${e.message}`;
          console.error(`KOEN ${w.month} FAILED: ${error}`);
          await record(w, "failed", d, 0, error, null);
          if (e instanceof TlsVerificationFailed) {
            for (const m of todo.slice(i + 1)) {
              const rest = koenMonthWindow(m, today);
              if (rest) await record(rest, "failed", null, 0, `${e.code}: not attempted after a certificate failure: ${e.message}`, null);
            }
            throw e;
          }
        }
      }
    } finally {
      client.close();
    }
    const stats = client.stats();
    return {
      unit: `${chunk.start.slice(0, 7)}..${chunk.end.slice(0, 7)}`,
      months: months.length,
      skipped: done.size,
      ...counts,
      partial,
      failures,
      bytes,
      requests: stats.requests,
      retries: stats.retries,
      tls_insecure: tlsInsecure,
    };
  });
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (shutdownSignal.aborted) return reject(shutdownSignal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(shutdownSignal.reason);
    };
    const timer = setTimeout(() => {
      shutdownSignal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    shutdownSignal.addEventListener("abort", onAbort, { once: true });
  });
}
