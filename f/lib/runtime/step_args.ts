// Step parameters as a Windmill worker passes them. The server evaluates each input transform to
// JSON, so an optional flow input the caller omitted, or a result that is not there, reaches
// `main` as null, not undefined, and main's own default does not apply. Steps parse those
// parameters here: null and undefined both mean the default.
import { z } from "zod";

export class InvalidStepArguments extends Error {
  readonly retryable = false;
  constructor(step: string, message: string, options?: { cause?: unknown }) {
    super(`${step}: ${message}`, options);
    this.name = "InvalidStepArguments";
  }
}

/** `schema`, with null or undefined meaning `fallback`. */
export function orDefault<T extends z.ZodType>(schema: T, fallback: z.output<T>) {
  return schema.nullish().transform((v): z.output<T> => (v ?? fallback) as z.output<T>);
}

/** Parse a step's optional parameters (name → schema) from the values main received. */
export function parseStepArgs<S extends z.ZodRawShape>(step: string, shape: S, values: { [K in keyof S]: unknown }): z.output<z.ZodObject<S>> {
  const r = z.object(shape).safeParse(values);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new InvalidStepArguments(step, `${issue.path.join(".")}: ${issue.message}`, { cause: r.error });
  }
  return r.data;
}
