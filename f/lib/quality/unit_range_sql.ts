// The serving-table rows of one unit over [from, to), as a condition the primary key (unit
// columns…, datetime) serves exactly, whatever the planner knows of the table. The last unit column
// and datetime are bounded together as row comparisons, which only the primary key can serve: with
// a plain `datetime >= $from` the planner may range-scan the datetime index over every unit's rows
// of those days, and an equality on a column that a row comparison also starts with turns the row
// comparison into a filter over all of the unit's index entries. Used inside a lateral subquery
// with OFFSET 0 (or LIMIT), which keeps it a loop over the units.
import { ident } from "../sources/serving_table.ts";

/** `x`: the serving table's alias; `u`: the alias carrying the unit columns; `from`/`to`: SQL instants. */
export function unitRangeCondition(unitColumns: readonly string[], x: string, u: string, from: string, to: string): string {
  const ids = unitColumns.map(ident);
  const last = ids[ids.length - 1];
  const eq = ids.slice(0, -1).map((c) => `${x}.${c} = ${u}.${c} and `).join("");
  return `${eq}(${x}.${last}, ${x}.datetime) >= (${u}.${last}, ${from}) and (${x}.${last}, ${x}.datetime) < (${u}.${last}, ${to})`;
}
