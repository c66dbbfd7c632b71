// Slack notifications of the flows (issue #8, f/pv/notify_slack): a summary after the report step,
// and the failure module (Windmill failure_module, local engine onFailure), which posts the error
// with the command that resumes the work. Both run only when the run's `slack` input is set, so the
// slack resource is only read when it is wanted.
import { flowError, resource, runId, step, value, type Ref, type StepModule } from "../src/flow/dsl.ts";
import { NOTIFY_SLACK } from "./scripts.ts";

/** The last step of a flow with a `slack` input: the run report as a Slack summary or alert. */
export const notifySummary = (run: Ref<string>, slack: Ref<boolean>): StepModule =>
  step("notify", NOTIFY_SLACK, { db: resource("db"), slack: resource("slack"), run_id: run, enabled: slack, kind: value("summary") }, {
    summary: "Post the run report to Slack",
    runIf: slack,
  });

/**
 * The failure module. Its DSL id must not be "failure" (reserved); the codegen emits it as
 * Windmill's failure_module with id "failure". run_id: the local engine passes its run id; on
 * Windmill it is "" and the step falls back to WM_ROOT_FLOW_JOB_ID, so it works even when the plan
 * step never ran.
 */
export const notifyFailure = (slack: Ref<boolean>): StepModule =>
  step(
    "notify_failure",
    NOTIFY_SLACK,
    {
      db: resource("db"),
      slack: resource("slack"),
      run_id: runId(),
      enabled: slack,
      kind: value("failure"),
      error_name: flowError("name"),
      error_message: flowError("message"),
      step_id: flowError("step_id"),
    },
    { summary: "Post the failure to Slack", runIf: slack },
  );
