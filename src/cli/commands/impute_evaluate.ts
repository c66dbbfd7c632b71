// `pvpipe impute --evaluate --asset KEY --start D --end D [--seed N]`: the fills measured against
// the hidden truth (f/lib/quality/impute_evaluate.ts), printed as the table docs/QUALITY.md shows.
import { z } from "zod";
import {
  bias,
  ChooseAssetToEvaluate,
  evaluateImpute,
  LoadMeasuredDataFirst,
  linearBias,
  policyToEvaluate,
  linearWae,
  wae,
  type ErrorSums,
  type EvaluationResult,
} from "../../../f/lib/quality/impute_evaluate.ts";
import { isoDate } from "../../../f/lib/time/kst.ts";
import { UsageError } from "../../config/errors.ts";
import { openApp } from "../app.ts";
import { parseOptions } from "../options.ts";

export const imputeEvaluateOptions = z
  .object({
    asset: z.string().trim().min(1, "--asset is required"),
    start: isoDate,
    end: isoDate,
    seed: z.coerce.number({ message: "must be a whole number ≥ 0" }).int("must be a whole number ≥ 0").min(0, "must be a whole number ≥ 0").default(1),
    unit: z.string().trim().min(1).optional(),
    json: z.boolean().default(false),
    dbUrl: z.string().optional(),
  })
  .refine((o) => o.start <= o.end, { path: ["start"], message: "is after --end" });

const num = (x: number | null, digits = 3) => (x === null ? "—" : x.toFixed(digits));
const signed = (x: number | null) => (x === null ? "—" : `${x >= 0 ? "+" : ""}${x.toFixed(3)}`);
const row = (cells: string[], widths: number[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");

const errors = (s: ErrorSums) => [num(wae(s)), signed(bias(s)), num(linearWae(s)), signed(linearBias(s))];

/** The evaluation as text: one line per sky × gap length × method, then the targets. */
export function describeEvaluation(r: EvaluationResult): string {
  const eligible = r.eligible.clear + r.eligible.cloudy;
  const lines = [
    `${r.asset} ${r.start}..${r.end}, seed ${r.seed}: ${r.units} units, ${eligible} unit-days with every daylight hour measured ` +
      `(${r.eligible.clear} clear, ${r.eligible.cloudy} cloudy); hidden ${r.gaps.daytime} daytime gaps of 1–6 h and ${r.gaps.wholeDays} whole days`,
    "WAE = Σ|fill − truth| ÷ Σ truth over the daylight hours hidden and filled, bias = Σ(fill − truth) ÷ Σ truth; linear = plain linear interpolation on the same hours",
    "",
  ];
  const widths = [6, 4, 15, 5, 8, 10, 7, 7, 10, 8];
  lines.push(row(["sky", "gap", "method", "hours", "left NULL", "Σtruth kWh", "WAE", "bias", "linear WAE", "bias"], widths));
  for (const c of r.cells) {
    lines.push(row([c.sky, c.gap, c.method, String(c.hours), String(c.unfilled), c.hours > c.unfilled ? c.truth.toFixed(1) : "—", ...errors(c)], widths));
  }
  lines.push("");
  for (const t of r.targets) {
    lines.push(
      `${t.sky.padEnd(6)} gaps ≤ 6 h: WAE ${num(wae(t))} (target ≤ ${t.target.toFixed(2)}), bias ${signed(bias(t))}, linear ${num(linearWae(t))} on the same ${t.hours - t.unfilled} hours` +
        `${t.unfilled ? `, ${t.unfilled} left NULL` : ""} — ${t.meets ? "meets the target" : "MISSES the target"}`,
    );
  }
  return lines.join("\n");
}

const usage = (e: unknown): never => {
  if (e instanceof ChooseAssetToEvaluate || e instanceof LoadMeasuredDataFirst) throw Object.assign(new UsageError(e.message), { cause: e });
  throw e;
};

export async function runImputeEvaluation(raw: Record<string, unknown>, out: (s: string) => void): Promise<void> {
  const o = parseOptions(imputeEvaluateOptions, raw);
  try {
    policyToEvaluate(o.asset); // before the database is opened: a wrong asset touches nothing
  } catch (e) {
    usage(e);
  }
  const app = await openApp({ dbUrl: o.dbUrl });
  try {
    const r = await evaluateImpute(app.sql, { asset: o.asset, start: o.start, end: o.end, seed: o.seed, pdims: o.unit ? [o.unit] : null });
    out(o.json ? JSON.stringify(r) : describeEvaluation(r));
  } catch (e) {
    usage(e);
  } finally {
    await app.close();
  }
}
