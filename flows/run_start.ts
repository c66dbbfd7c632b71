// How every planned flow begins: ready the database, plan, then open the run with what the plan
// selected (its inputs with dates resolved, the plan, a request budget). Each step does one of these.
import { resource, result, runId, step, value, type Module, type Ref } from "../src/flow/dsl.ts";

/** `plan` takes the flow's choices (source, dates or a look-back, filters, policy). */
export const runStart = (flowId: string, plan: Record<string, Ref>, maxRequests: Ref = value(0)): Module[] => [
  step("prepare", "f/pv/prepare", { db: resource("db") }, { summary: "Ready the database (migrations, reference data, stage clean-up)" }),
  step("plan", "f/pv/plan", { db: resource("db"), ...plan, max_requests: maxRequests, run_id: runId() }, { summary: "Plan chunks" }),
  step(
    "open_run",
    "f/pv/open_run",
    { db: resource("db"), run_id: result("plan", "run_id"), flow: value(flowId), inputs: result("plan", "request"), plan: result("plan"), max_requests: maxRequests },
    { summary: "Open the run" },
  ),
];
