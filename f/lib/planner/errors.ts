// A plan request the planner cannot serve (dates, policy, a filter the source does not know):
// the person corrects it; retrying the same request cannot help.
import { ActionableError } from "../runtime/errors.ts";

export class InvalidPlanRequest extends ActionableError {}
