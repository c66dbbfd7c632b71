// Slack notifications of the flows (issue #8, f/pv/notify_slack): a summary after the report step,
// and the failure module (Windmill failure_module, local engine onFailure), which posts the error
// with the command that resumes the work. Both run only when the run's `slack` input is set, so the
// slack resource is only read when it is wanted.
import { flowError, input, resource, result, runId, step, value, type StepModule } from "../src/flow/dsl.ts";

/** The last step of a flow with a `slack` input: the run report as a Slack summary or alert. */
export const notifySummary = (planStep = "plan"): StepModule =>
  step(
    "notify",
    "f/pv/notify_slack",
    { db: resource("db"), slack: resource("slack"), run_id: result(planStep, "run_id"), enabled: input("slack"), kind: value("summary") },
    { summary: "Post the run report to Slack", runIf: input("slack") },
  );

/**
 * The failure module. Its DSL id must not be "failure" (reserved); the codegen emits it as
 * Windmill's failure_module with id "failure". run_id: the local engine passes its run id; on
 * Windmill it is "" and the step falls back to WM_ROOT_FLOW_JOB_ID, so it works even when the plan
 * step never ran.
 */
export const notifyFailure = (_flowId: string): StepModule =>
  step(
    "notify_failure",
    "f/pv/notify_slack",
    {
      db: resource("db"),
      slack: resource("slack"),
      run_id: runId(),
      enabled: input("slack"),
      kind: value("failure"),
      error_name: flowError("name"),
      error_message: flowError("message"),
      step_id: flowError("step_id"),
    },
    { summary: "Post the failure to Slack", runIf: input("slack") },
  );
