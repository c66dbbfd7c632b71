// CLI options validated with zod before anything starts: a bad date or an unknown plant is a
// usage error (exit 2) with nothing written. The backfill's options, which know the sources, are in
// backfill_options.ts (this module stays light: every command loads it).
import { z } from "zod";
import { UsageError } from "../config/errors.ts";

/** An ASOS station id given on the command line (--station 108). */
export const stationIdOption = z.coerce.number({ message: "must be an ASOS station id such as 108" }).int("must be an ASOS station id such as 108").positive("must be an ASOS station id such as 108");

/** --json and --db-url, as most commands take them. */
export const outputOptions = { json: z.boolean().default(false), dbUrl: z.string().optional() };

/** A range's start must not come after its end. */
export function startNotAfterEnd(o: { start: string; end: string }, ctx: z.RefinementCtx): void {
  if (o.start > o.end) ctx.addIssue({ code: "custom", path: ["start"], message: `start ${o.start} is after end ${o.end}` });
}

/** The schema's reading of the options, or its first problem as a usage error naming the flag. */
export function parseOptions<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const flag = issue.path.length && !issue.message.startsWith("--") ? `--${String(issue.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ` : "";
  throw new UsageError(`${flag}${issue.message}`);
}

/** `--input key=value` pairs; values stay strings until the flow's schema says what they are. */
export function parseInputPairs(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const i = p.indexOf("=");
    if (i <= 0) throw new UsageError(`--input ${JSON.stringify(p)} is not key=value`);
    out[p.slice(0, i)] = p.slice(i + 1);
  }
  return out;
}

/** `pvpipe import-legacy`: exactly one of --from-db / --from-dir (issue #11). */
export const importLegacyOptions = z
  .object({
    fromDb: z.string().trim().min(1, "needs a postgres:// URL").optional(),
    fromDir: z.string().trim().min(1, "needs a directory").optional(),
    dryRun: z.boolean().default(false),
    prefer: z.enum(["new", "legacy"], { message: "must be new (rows already loaded win) or legacy" }).default("new"),
    json: z.boolean().default(false),
    dbUrl: z.string().optional(),
  })
  .superRefine((o, ctx) => {
    if (o.fromDb === undefined && o.fromDir === undefined) {
      ctx.addIssue({ code: "custom", path: ["fromDb"], message: "give the earlier pipeline's database (--from-db URL) or its CSV archive (--from-dir PATH)" });
    } else if (o.fromDb !== undefined && o.fromDir !== undefined) {
      ctx.addIssue({ code: "custom", path: ["fromDir"], message: "give either --from-db or --from-dir, not both (run the command once for each)" });
    }
  });
export type ImportLegacyOptions = z.infer<typeof importLegacyOptions>;
