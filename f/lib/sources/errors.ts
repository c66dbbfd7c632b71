// Typed errors shared by every source client (KOSPO, ASOS, KOEN).
// Each class is named after what the person running the job should do about it, carries a stable
// `code` (the class name, spelled out so it survives bundling) and says whether retrying the same
// request can help. Messages never contain a service key: callers pass redacted request descriptions.

export abstract class SourceError extends Error {
  abstract readonly code: string;
  abstract readonly retryable: boolean;
  /** data.go.kr gateway `returnReasonCode` or envelope `resultCode`, when the error came from one. */
  readonly reasonCode: string | undefined;

  constructor(message: string, reasonCode?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.reasonCode = reasonCode;
  }
}

/** The environment variable holding a key is empty, quoted or has whitespace inside: fix the configuration. */
export class InvalidServiceKey extends SourceError {
  readonly code = "InvalidServiceKey";
  readonly retryable = false;
  readonly variable: string;
  constructor(variable: string, problem: string) {
    super(`${variable} ${problem}: set it to the bare key from data.go.kr (the Encoding or the Decoding form), without quotes or spaces`);
    this.variable = variable;
  }
}

const keyRejectionHints: Record<string, string> = {
  "20": "check that the key has been granted access to this API",
  "30": "check that the key is registered for this API",
  "31": "the key's usage period has expired; extend it on data.go.kr",
  "32": "the calling IP address is not registered for this key; add it on data.go.kr",
};

/** Gateway reason 20/30/31/32: the key itself is the problem, retrying cannot help, so the run fails fast. */
export class ServiceKeyRejected extends SourceError {
  readonly code = "ServiceKeyRejected";
  readonly retryable = false;
  readonly variable: string;
  constructor(variable: string, authMsg: string, reasonCode: string) {
    const hint = keyRejectionHints[reasonCode] ?? "check the key on data.go.kr";
    super(
      `data.go.kr rejected the service key in ${variable} (${authMsg}, reason ${reasonCode}): ${hint}; ` +
        "either the Encoding or the Decoding form works, but the key must not be encoded twice",
      reasonCode,
    );
    this.variable = variable;
  }
}

/** Gateway reason 22: the daily request quota is used up; stop cleanly and resume tomorrow. */
export class QuotaExceeded extends SourceError {
  readonly code = "QuotaExceeded";
  readonly retryable = false;
  readonly variable: string;
  constructor(variable: string, authMsg = "LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR") {
    super(
      `data.go.kr daily request quota for the key in ${variable} is exhausted (${authMsg}, reason 22): ` +
        "resume tomorrow after midnight KST by running the same command again (a stopped backfill is also continued by the source's next scheduled run); days already fetched are kept",
      "22",
    );
    this.variable = variable;
  }
}

/**
 * The run's own request budget (`--max-requests`, or the share a scheduled run gives a backfill it
 * continues) is spent: the run stops as on a quota stop, keeping what it fetched, and the source's
 * next scheduled run continues it within the same budget.
 */
export class RequestBudgetSpent extends SourceError {
  readonly code = "RequestBudgetSpent";
  readonly retryable = false;
  readonly maxRequests: number;
  constructor(maxRequests: number) {
    super(
      `the run's request budget of ${maxRequests} requests (--max-requests) is spent: stopped cleanly; days already fetched are kept, ` +
        "and the source's next scheduled run continues the backfill within the same budget (or resume it by running the same command again)",
    );
    this.maxRequests = maxRequests;
  }
}

/** An HTML page came back where data was expected (maintenance or error page, often with HTTP 200). */
export class SourceReturnedHtml extends SourceError {
  readonly code = "SourceReturnedHtml";
  readonly retryable = false;
  constructor(source: string, request: string, status: number) {
    super(`${source} returned an HTML page instead of data (HTTP ${status}) for ${request}: the service may be down for maintenance; run again later`);
  }
}

/** The body was truncated, malformed or lacked required fields. */
export class BadPayload extends SourceError {
  readonly code = "BadPayload";
  readonly retryable = false;
  constructor(source: string, request: string, detail: string, options?: { cause?: unknown }) {
    super(`${source} returned an unreadable response for ${request}: ${detail}`, undefined, options);
  }
}

/** Timeouts, network errors, HTTP 5xx/429 that persisted through every retry. */
export class SourceUnavailable extends SourceError {
  readonly code = "SourceUnavailable";
  readonly retryable = true;
  constructor(source: string, request: string, detail: string, reasonCode?: string) {
    super(`${source} is unavailable for ${request}: ${detail}; run again later`, reasonCode);
  }
}

/** Gateway reason 1/10/12/99 or an unexpected result code: the request itself was refused. */
export class InvalidRequest extends SourceError {
  readonly code = "InvalidRequest";
  readonly retryable = false;
  constructor(source: string, request: string, authMsg: string, reasonCode: string) {
    super(`${source} refused the request ${request} (${authMsg}, reason ${reasonCode}): check the parameters (dates, plant code, unit)`, reasonCode);
  }
}

/**
 * The server's TLS certificate chain could not be verified (e.g. koenergy.kr omits its intermediate
 * certificate, DOMAIN §2.2). Retrying cannot help: the trust configuration has to change.
 */
export class TlsVerificationFailed extends SourceError {
  readonly code = "TlsVerificationFailed";
  readonly retryable = false;
  constructor(source: string, request: string, detail: string, options?: { cause?: unknown }) {
    super(`${source}: the TLS certificate of ${request} could not be verified (${detail})`, undefined, options);
  }
}
