// How every planned flow begins: ready the database, plan, then open the run with what the plan
// selected (its inputs with dates resolved, the plan, a request budget). Each step does one of these.
import { resource, runId, step, value, type ArgRefs, type ArgsOf, type Module, type Ref, type ResultOf, type StepHandle } from "../src/flow/dsl.ts";
import { OPEN_RUN, PLAN, PREPARE } from "./scripts.ts";

export type PlanStep = StepHandle<ResultOf<typeof PLAN>>;

/** The flow's choices the plan step takes (source, dates or a look-back, filters, policy). */
export type PlanChoices = Omit<ArgRefs<ArgsOf<typeof PLAN>>, "db" | "run_id" | "max_requests">;

/** `maxRequests`: the run's request budget, for a flow that takes one (backfill). */
export function runStart(flowId: string, choices: PlanChoices, maxRequests?: Ref<number>): { modules: Module[]; plan: PlanStep } {
  const budget = maxRequests ? { max_requests: maxRequests } : {};
  const plan = step("plan", PLAN, { db: resource("db"), ...choices, ...budget, run_id: runId() }, { summary: "Plan chunks" });
  return {
    plan,
    modules: [
      step("prepare", PREPARE, { db: resource("db") }, { summary: "Ready the database (migrations, reference data, stage clean-up)" }),
      plan,
      step(
        "open_run",
        OPEN_RUN,
        { db: resource("db"), run_id: plan.out("run_id"), flow: value(flowId), inputs: plan.out("request"), plan: plan.all, ...budget },
        { summary: "Open the run" },
      ),
    ],
  };
}
