// Step arguments as a Windmill worker passes them, parsed with one zod schema per step. The server
// evaluates each input transform to JSON, so an optional flow input the caller omitted, or a result
// that is not there, reaches `main` as null, not undefined, and main's own default does not apply:
// `orDefault` makes null and undefined both mean the default. The schema is the step's contract:
// `main` parses with it on both engines, and the flow DSL types a step's arguments from it.
import { z } from "zod";
import type { PgResource } from "../db/resource.ts";
import { ActionableError } from "./errors.ts";

export class InvalidStepArguments extends ActionableError {
  constructor(step: string, message: string, options?: { cause?: unknown }) {
    super(`${step}: ${message}`, options);
  }
}

/** `schema`, with null or undefined meaning `fallback`. */
export function orDefault<T extends z.ZodType>(schema: T, fallback: z.output<T>) {
  return schema.nullish().transform((v): z.output<T> => v ?? fallback);
}

/** Windmill's `postgresql` resource (extra fields, such as a root certificate, are ignored). */
export const postgresqlResource = z.object({
  host: z.string(),
  port: z.coerce.number().int(),
  user: z.string(),
  password: z.string(),
  dbname: z.string(),
  sslmode: z.string().optional(),
}).describe("PV PostgreSQL (f/pv/db)") satisfies z.ZodType<PgResource>;

/** A resource the step parses itself (its shape depends on another argument, e.g. the source's API). */
export const anyResource = z.record(z.string(), z.unknown());

/** A run id; empty = the root flow job (Windmill). */
export const runIdArg = orDefault(z.string(), "").describe("Run id from the plan step; empty = the root flow job (WM_ROOT_FLOW_JOB_ID)");

export interface StepArgs<S extends z.ZodRawShape> {
  step: string;
  schema: z.ZodObject<S>;
  /** The values main received, by parameter name → the parsed arguments, or InvalidStepArguments. */
  parse(values: { [K in keyof S]: unknown }): z.output<z.ZodObject<S>>;
}

export function stepArgs<S extends z.ZodRawShape>(step: string, shape: S): StepArgs<S> {
  const schema = z.object(shape);
  return {
    step,
    schema,
    parse(values) {
      const r = schema.safeParse(values);
      if (r.success) return r.data;
      const issue = r.error.issues[0];
      throw new InvalidStepArguments(step, `${issue.path.join(".")}: ${issue.message}`, { cause: r.error });
    },
  };
}
