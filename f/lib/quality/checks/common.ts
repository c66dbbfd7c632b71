// SQL helpers the check modules share. The CTEs a check reads (s, h, hist) are described in
// check_spec.ts and built by run_checks.ts from the chunk's own rows.

/** SQL: a number as text with at most `d` decimals (1234.5, 0.25). */
export const num = (expr: string, d = 1): string => `trim_scale(round((${expr})::numeric, ${d}))::text`;

/** SQL: an hour `hr` as its interval `15:00–16:00`. */
export const hourSpan = (hr: string): string => `lpad((${hr})::text, 2, '0') || ':00–' || lpad(((${hr}) + 1)::text, 2, '0') || ':00'`;
