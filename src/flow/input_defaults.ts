// A flow's input defaults, from its zod schema: what an omitted input means. The local engine and
// the OpenFlow codegen both fall back to them where Windmill would otherwise see null.
import type { z } from "zod";
import type { FlowDef } from "./dsl.ts";

/** Each input's zod default (inputs without one are left out). */
export function inputDefaults(def: FlowDef): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, field] of Object.entries(def.input.shape)) {
    const r = (field as z.ZodType).safeParse(undefined);
    if (r.success && r.data !== undefined) out[k] = r.data;
  }
  return out;
}
