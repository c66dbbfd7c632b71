// The arguments the chunk steps share: the source, the run, the planned chunk (collect adds its
// API resource and fetch settings).
import { z } from "zod";
import { chunkArg } from "../planner/chunk.ts";
import { postgresqlResource } from "../runtime/step_args.ts";

export const chunkStepArgs = {
  db: postgresqlResource,
  source: z.string().describe("Source of the chunk"),
  run_id: z.string().describe("Run id from the plan step"),
  chunk: chunkArg,
};
