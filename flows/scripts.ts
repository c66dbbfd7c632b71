// The step scripts the flows call, each a typed handle: its arguments are its zod schema's input
// and its result is what its `main` returns (src/flow/dsl.ts); the codegen takes the Windmill
// form's parameter descriptions from the same schema. A step's path is f/pv/<its schema's step name>.
import * as check from "../f/pv/check.ts";
import * as collect from "../f/pv/collect.ts";
import * as exportStep from "../f/pv/export.ts";
import * as impute from "../f/pv/impute.ts";
import * as ingest from "../f/pv/ingest.ts";
import * as kospoProbe from "../f/pv/kospo_probe.ts";
import * as notifySlack from "../f/pv/notify_slack.ts";
import * as openRun from "../f/pv/open_run.ts";
import * as plan from "../f/pv/plan.ts";
import * as planContinuation from "../f/pv/plan_continuation.ts";
import * as prepare from "../f/pv/prepare.ts";
import * as report from "../f/pv/report.ts";
import { script } from "../src/flow/dsl.ts";

export const [PREPARE, PLAN, OPEN_RUN, PLAN_CONTINUATION] = [script(prepare), script(plan), script(openRun), script(planContinuation)];
export const [COLLECT, INGEST, CHECK, IMPUTE] = [script(collect), script(ingest), script(check), script(impute)];
export const [REPORT, NOTIFY_SLACK, KOSPO_PROBE, EXPORT] = [script(report), script(notifySlack), script(kospoProbe), script(exportStep)];

export const STEP_SCRIPTS = [PREPARE, PLAN, OPEN_RUN, PLAN_CONTINUATION, COLLECT, INGEST, CHECK, IMPUTE, REPORT, NOTIFY_SLACK, KOSPO_PROBE, EXPORT];
