// The base of the errors a person acts on (named after what to do): retrying the same request
// cannot help, so the engines fail at once instead of retrying; the error that led to it is kept
// as `cause`. The name is the class's own, spelled by `new.target` (it survives bundling).
export class ActionableError extends Error {
  readonly retryable: boolean = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
