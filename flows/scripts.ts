// The step scripts the flows call, each a typed handle: its arguments are its zod schema's input
// and its result is what its `main` returns (src/flow/dsl.ts); the codegen takes the Windmill
// form's parameter descriptions from the same schema.
import * as check from "../f/pv/check.ts";
import * as collect from "../f/pv/collect.ts";
import * as impute from "../f/pv/impute.ts";
import * as ingest from "../f/pv/ingest.ts";
import * as kospoProbe from "../f/pv/kospo_probe.ts";
import * as notifySlack from "../f/pv/notify_slack.ts";
import * as openRun from "../f/pv/open_run.ts";
import * as plan from "../f/pv/plan.ts";
import * as planContinuation from "../f/pv/plan_continuation.ts";
import * as prepare from "../f/pv/prepare.ts";
import * as report from "../f/pv/report.ts";
import * as stage from "../f/pv/stage.ts";
import { script } from "../src/flow/dsl.ts";

export const PREPARE = script("f/pv/prepare", prepare);
export const PLAN = script("f/pv/plan", plan);
export const OPEN_RUN = script("f/pv/open_run", openRun);
export const PLAN_CONTINUATION = script("f/pv/plan_continuation", planContinuation);
export const COLLECT = script("f/pv/collect", collect);
export const STAGE = script("f/pv/stage", stage);
export const INGEST = script("f/pv/ingest", ingest);
export const CHECK = script("f/pv/check", check);
export const IMPUTE = script("f/pv/impute", impute);
export const REPORT = script("f/pv/report", report);
export const NOTIFY_SLACK = script("f/pv/notify_slack", notifySlack);
export const KOSPO_PROBE = script("f/pv/kospo_probe", kospoProbe);

export const STEP_SCRIPTS = [PREPARE, PLAN, OPEN_RUN, PLAN_CONTINUATION, COLLECT, STAGE, INGEST, CHECK, IMPUTE, REPORT, NOTIFY_SLACK, KOSPO_PROBE];
