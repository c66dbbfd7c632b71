// A plan request the planner cannot serve (dates, policy, a filter the source does not know):
// the person corrects it; retrying the same request cannot help.
export class InvalidPlanRequest extends Error {
  readonly retryable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "InvalidPlanRequest";
  }
}
