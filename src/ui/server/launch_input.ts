// The launch form's fields → the backfill flow's input: values coerced by the JSON Schema's types
// (a form sends text), validated by the flow's zod schema and then by the CLI's backfill rules
// (dates published, known plants/units/stations, options that apply to the source), so the UI
// accepts exactly what `pvpipe backfill` accepts. Bad input is a 400 naming the field.
import { z } from "zod";
import { backfill } from "../../../flows/backfill.ts";
import { backfillOptions } from "../../cli/backfill_options.ts";
import { CorrectTheRequest } from "./errors.ts";
import type { JsonSchemaObject } from "./views/flow_form.ts";

export const backfillSchema = z.toJSONSchema(backfill.input, { io: "input" }) as unknown as JsonSchemaObject;

export type BackfillInput = z.infer<typeof backfill.input>;

/** CLI option names → form field names, for messages. */
const CLI_FIELDS: Record<string, string> = { gencd: "plant", hogi: "unit", station: "stations" };

export function formToBackfillInput(form: Record<string, string[]>): BackfillInput {
  const raw: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(backfillSchema.properties)) {
    const values = (form[name] ?? []).map((v) => v.trim()).filter((v) => v !== "");
    if (f.type === "boolean") raw[name] = values.some((v) => v === "true" || v === "on");
    else if (f.type === "array") {
      if (values.length) raw[name] = values.flatMap((v) => v.split(/[\s,]+/)).filter(Boolean).map((v) => (/^-?\d+$/.test(v) ? Number(v) : v));
    } else if (values.length) raw[name] = f.type === "integer" || f.type === "number" ? (/^-?\d+(\.\d+)?$/.test(values[0]) ? Number(values[0]) : values[0]) : values[0];
  }
  // Enum fields with a default (plant "") are sent empty by the form: the default applies.
  const parsed = backfill.input.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CorrectTheRequest(`${issue.path.join(".") || "input"}: ${issue.message}`, { cause: parsed.error });
  }
  const input = parsed.data;
  const cli = backfillOptions.safeParse({
    source: input.source,
    start: input.start,
    end: input.end,
    gencd: input.plant || undefined,
    hogi: input.unit || undefined,
    station: input.stations.length ? input.stations : undefined,
    policy: input.policy,
    parallelism: input.parallelism,
  });
  if (!cli.success) {
    const issue = cli.error.issues[0];
    const name = String(issue.path[0] ?? "input");
    const message = issue.message.replace(/--(gencd|hogi|station)\b/g, (_m, k: string) => CLI_FIELDS[k]).replace(/--([a-z]+)/g, "$1");
    throw new CorrectTheRequest(`${CLI_FIELDS[name] ?? name}: ${message}`, { cause: cli.error });
  }
  return input;
}
