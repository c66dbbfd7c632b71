// The frontend half of a Grafana SQL panel query: dashboard variables and global macros are
// replaced in the browser before the query is sent (scenes sceneInterpolator + formatRegistry, and
// the SQL data source's interpolateVariable). The backend half (time macros) is in macros.ts.
//
// Rules reproduced here (grafana/scenes packages/scenes/src/variables/interpolation/*,
// grafana/grafana packages/grafana-sql/src/datasource/SqlDatasource.ts):
// - syntax: `$var`, `[[var]]`, `[[var:fmt]]`, `${var}`, `${var:fmt}`, `${var:fmt:arg}`;
// - no explicit format → the data source's interpolateVariable: a multi/include-all variable is
//   quoted `'a','b'` (quotes doubled); a single-valued one is inserted with quotes doubled but NOT
//   wrapped in quotes (write `'$var'`); numbers as is;
// - `$__all` → every option value except All; a custom all value is inserted unformatted (and is
//   itself interpolated again);
// - unknown names are left as written (so `$__timeFilter(…)` reaches the backend untouched).

export const ALL_VARIABLE_VALUE = "$__all";
export const ALL_VARIABLE_TEXT = "All";

/** scenes VARIABLE_REGEX. */
const VARIABLE_REGEX = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\${(\w+)(?:\.([^:^}]+))?(?::([^}]+))?}/g;

export type VariableValue = string | number | string[];

export interface VariableOption {
  text: string;
  value: string;
}

/** A dashboard variable as the interpolator sees it: its flags and its resolved state. */
export interface TemplateVariable {
  name: string;
  multi?: boolean;
  includeAll?: boolean;
  allValue?: string;
  /** Options without the All entry. */
  options: VariableOption[];
  /** Current value: a string, or for multi variables an array; "$__all" / ["$__all"] = All. */
  current: string | string[];
}

export interface ScopedVar {
  value: VariableValue;
  text?: string;
  /** Repeated panels carry the repeated variable's flags (scenes LocalValueVariable). */
  multi?: boolean;
  includeAll?: boolean;
}

export interface InterpolationContext {
  variables: TemplateVariable[];
  scopedVars?: Record<string, ScopedVar>;
  /** Range in epoch ms, for $__from / $__to. */
  range?: { from: number; to: number };
  timezone?: string;
  dashboard?: { title: string; uid: string };
}

type FormatFn = (value: VariableValue, variable: { name: string; multi?: boolean; includeAll?: boolean }) => string | number;

const quoteLiteral = (v: string): string => `'${String(v).replace(/'/g, "''")}'`;

/** SqlDatasource.interpolateVariable (packages/grafana-sql). */
export const sqlInterpolateVariable: FormatFn = (value, variable) => {
  if (typeof value === "string") {
    if (variable.multi || variable.includeAll) return quoteLiteral(value);
    return String(value).replace(/'/g, "''");
  }
  if (typeof value === "number") return value;
  if (Array.isArray(value)) return value.map((v) => quoteLiteral(v)).join(",");
  return value;
};

const isAllValue = (v: unknown): boolean => v === ALL_VARIABLE_VALUE || (Array.isArray(v) && v[0] === ALL_VARIABLE_VALUE);

const regexEscape = (s: string) => s.replace(/[\\^$*+?.()|[\]{}/]/g, "\\$&");
const luceneEscape = (v: string) => (isNaN(+v) === false ? v : v.replace(/([!*+\-=<>\s&|()[\]{}^~?:\\/"])/g, "\\$1"));
const encodeStrict = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

interface FormatArgs {
  value: VariableValue;
  args: string[];
  name: string;
  text: string;
}

/** scenes formatRegistry (the formats that make sense in a SQL string). */
const FORMATS: Record<string, (a: FormatArgs) => string> = {
  raw: ({ value }) => String(value),
  csv: ({ value }) => (Array.isArray(value) ? value.join(",") : String(value)),
  join: ({ value, args }) => (Array.isArray(value) ? value.join(args[0] ?? ",") : String(value)),
  pipe: ({ value }) => (Array.isArray(value) ? value.join("|") : String(value)),
  glob: ({ value }) => (Array.isArray(value) && value.length > 1 ? `{${value.join(",")}}` : String(value)),
  json: ({ value }) => (typeof value === "string" ? value : JSON.stringify(value)),
  regex: ({ value }) => {
    if (typeof value === "string") return regexEscape(value);
    if (Array.isArray(value)) {
      const escaped = value.map((v) => regexEscape(String(v)));
      return escaped.length === 1 ? escaped[0] : `(${escaped.join("|")})`;
    }
    return regexEscape(String(value));
  },
  lucene: ({ value }) => {
    if (typeof value === "string") return luceneEscape(value);
    if (Array.isArray(value)) return value.length === 0 ? "__empty__" : `(${value.map((v) => `"${luceneEscape(v)}"`).join(" OR ")})`;
    return luceneEscape(String(value));
  },
  distributed: ({ value, name }) => (Array.isArray(value) ? value.map((v, i) => (i === 0 ? v : `${name}=${v}`)).join(",") : String(value)),
  singlequote: ({ value }) =>
    Array.isArray(value) ? value.map((v) => `'${v.replace(/'/g, "\\'")}'`).join(",") : `'${String(value).replace(/'/g, "\\'")}'`,
  doublequote: ({ value }) =>
    Array.isArray(value) ? value.map((v) => `"${v.replace(/"/g, '\\"')}"`).join(",") : `"${String(value).replace(/"/g, '\\"')}"`,
  // scenes sqlStringFormatter: ' → '' and " → \" inside '…', joined with commas.
  sqlstring: ({ value }) => {
    const esc = (v: string) => `'${v.replace(/'|"/g, (m) => (m === "'" ? "''" : '\\"'))}'`;
    return Array.isArray(value) ? value.map(esc).join(",") : esc(String(value));
  },
  percentencode: ({ value }) => (Array.isArray(value) ? encodeStrict(`{${value.join(",")}}`) : encodeStrict(String(value))),
  queryparam: ({ value, name }) =>
    Array.isArray(value) ? value.map((v) => `var-${name}=${encodeStrict(v)}`).join("&") : `var-${name}=${encodeStrict(String(value))}`,
  text: ({ text }) => text,
  date: ({ value, args }) => {
    const n = typeof value === "number" ? value : parseInt(String(value), 10);
    if (isNaN(n)) return "NaN";
    const arg = args[0] ?? "iso";
    if (arg === "ms") return String(value);
    if (arg === "seconds") return `${Math.round(n / 1000)}`;
    if (arg === "iso") return new Date(n).toISOString();
    throw new Error(`date format "${args.join(":")}" is not supported by this interpolator`);
  },
};

export class InterpolationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InterpolationError";
  }
}

interface Resolved {
  name: string;
  value: VariableValue | { customAll: string };
  text: string;
  multi?: boolean;
  includeAll?: boolean;
}

function resolve(name: string, ctx: InterpolationContext): Resolved | null {
  const sv = ctx.scopedVars;
  if (sv && Object.prototype.hasOwnProperty.call(sv, name) && sv[name]) {
    const s = sv[name];
    return { name, value: s.value, text: s.text ?? String(s.value), multi: s.multi, includeAll: s.includeAll };
  }
  const v = ctx.variables.find((x) => x.name === name);
  if (v) {
    let value: VariableValue | { customAll: string } = v.current;
    let text: string;
    if (isAllValue(v.current)) {
      value = v.allValue ? { customAll: v.allValue } : v.options.map((o) => o.value);
      text = ALL_VARIABLE_TEXT;
    } else {
      const vals = Array.isArray(v.current) ? v.current : [v.current];
      text = vals.map((x) => v.options.find((o) => o.value === x)?.text ?? x).join(" + ");
    }
    return { name, value, text, multi: v.multi, includeAll: v.includeAll };
  }
  // Global macros of the scenes macrosIndex that a SQL query can use.
  if ((name === "__from" || name === "__to") && ctx.range) {
    const ms = name === "__from" ? ctx.range.from : ctx.range.to;
    return { name, value: ms, text: String(ms) };
  }
  if (name === "__timezone" && ctx.timezone) return { name, value: ctx.timezone, text: ctx.timezone };
  if (name === "__dashboard" && ctx.dashboard) return { name, value: ctx.dashboard.title, text: ctx.dashboard.title };
  return null;
}

function formatValue(r: Resolved, fmt: string | FormatFn, ctx: InterpolationContext): string {
  const value = r.value;
  if (value === null || value === undefined) return "";
  if (typeof value === "object" && !Array.isArray(value)) {
    // CustomAllValue: inserted as written (only text/percentencode/queryparam format it), then interpolated.
    if (fmt === "text") return ALL_VARIABLE_TEXT;
    if (fmt === "percentencode") return encodeStrict(value.customAll);
    return interpolateVariables(value.customAll, ctx);
  }
  if (typeof fmt === "function") return String(fmt(value, { name: r.name, multi: r.multi, includeAll: r.includeAll }));
  let id = fmt;
  let args: string[] = [];
  const parts = fmt.split(":");
  if (parts.length > 1) {
    id = parts[0];
    args = parts.slice(1);
  }
  const f = FORMATS[id] ?? FORMATS.glob; // scenes falls back to glob for unknown formats
  return f({ value, args, name: r.name, text: r.text });
}

/**
 * Replace every variable reference as Grafana's frontend does for a SQL data source query.
 * `format` defaults to the SQL data source's interpolateVariable.
 */
export function interpolateVariables(target: string, ctx: InterpolationContext, format: string | FormatFn = sqlInterpolateVariable): string {
  return target.replace(VARIABLE_REGEX, (match, var1, var2, fmt2, var3, fieldPath, fmt3) => {
    const name: string = var1 || var2 || var3;
    if (fieldPath) throw new InterpolationError(`field paths (${match}) are not supported`);
    const r = resolve(name, ctx);
    if (!r) return match;
    return formatValue(r, fmt2 || fmt3 || format, ctx);
  });
}

/** Names of the variables a text refers to (for dependency ordering of query variables). */
export function referencedVariables(target: string): string[] {
  const out = new Set<string>();
  for (const m of target.matchAll(VARIABLE_REGEX)) out.add(m[1] || m[2] || m[4]);
  return [...out];
}
