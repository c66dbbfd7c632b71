// The partition grid's rows and cells from what the asset page read: statuses (with KOEN's
// partial months), filled hours and failing checks per partition and unit. One row per dimension
// key; an asset without one (KOEN: a month holds every plant) gets a row for the partition and one
// per unit with data or check results in the window, each cell showing its partition's status.
import type { DimKey, PartitionStatus } from "../../../f/lib/store/partition_states.ts";
import { monthEnd } from "../../../f/lib/time/kst.ts";
import type { CellChecks } from "../sql/cell_checks.ts";
import type { FilledHours } from "../sql/filled_hours.ts";
import type { GridData } from "../sql/partition_grid.ts";
import type { CellStatus, CellView, GridRowView } from "./views/partition_grid.ts";

export function gridRows(o: {
  asset: string;
  times: string[];
  monthly: boolean;
  dims: DimKey[] | null;
  grid: GridData;
  checks: CellChecks[];
  filled: FilledHours[];
  partial: Set<string>;
}): GridRowView[] {
  const present = new Map(o.grid.cells.map((c) => [c.partition, c]));
  const hoursOf = (time: string) => (o.monthly ? 24 * (Number(monthEnd(time).slice(8, 10))) : 24);
  const filledBy = new Map(o.filled.map((f) => [`${f.period}|${f.unit}`, f]));
  const checksBy = new Map<string, { failing: number; error: boolean; names: Set<string> }>();
  const addCheck = (key: string, c: CellChecks) => {
    const x = checksBy.get(key) ?? { failing: 0, error: false, names: new Set<string>() };
    x.failing += c.failing;
    x.error ||= c.error;
    for (const n of c.checks) x.names.add(n);
    checksBy.set(key, x);
  };
  for (const c of o.checks) {
    addCheck(c.partition, c);
    if (c.unit !== null) addCheck(`${c.partition}|@${c.unit}`, c);
  }
  const checkView = (key: string): CellView["checks"] => {
    const x = checksBy.get(key);
    return x ? { failing: x.failing, error: x.error, names: [...x.names] } : undefined;
  };
  const statusOf = (partition: string, expected: boolean): CellStatus => {
    const cell = present.get(partition);
    if (!cell) return expected ? "missing" : "none";
    return cell.status === "materialized" && o.partial.has(partition) ? "partial" : (cell.status as PartitionStatus);
  };
  if (o.dims) {
    return o.dims.map((d) => {
      const first = o.grid.firsts.get(d.key);
      return {
        label: d.key,
        cells: o.times.map((time) => {
          const partition = `${time}|${d.key}`;
          const f = filledBy.get(`${time}|${d.key}`);
          return {
            partition,
            status: statusOf(partition, first !== undefined && time >= first),
            filled: f ? { filled: f.filled, hours: f.hours, expected: hoursOf(time), unfilled: f.unfilled } : undefined,
            checks: checkView(partition),
          };
        }),
      };
    });
  }
  const first = o.grid.firsts.get(null);
  const expected = (time: string) => first !== undefined && time >= first;
  const whole: GridRowView = {
    label: "all units",
    cells: o.times.map((time) => {
      const fs = o.filled.filter((f) => f.period === time);
      const filled = fs.length ? { filled: sum(fs, "filled"), hours: sum(fs, "hours"), expected: hoursOf(time) * fs.length, unfilled: sum(fs, "unfilled") } : undefined;
      return { partition: time, status: statusOf(time, expected(time)), filled, checks: checkView(time) };
    }),
  };
  const units = [...new Set([...o.filled.map((f) => f.unit), ...o.checks.flatMap((c) => (c.unit === null ? [] : [c.unit]))])].sort();
  return [
    whole,
    ...units.map((unit) => ({
      label: unit,
      cells: o.times.map((time) => {
        const f = filledBy.get(`${time}|${unit}`);
        return {
          partition: time,
          status: statusOf(time, expected(time)),
          filled: f ? { filled: f.filled, hours: f.hours, expected: hoursOf(time), unfilled: f.unfilled } : undefined,
          checks: checkView(`${time}|@${unit}`),
        };
      }),
    })),
  ];
}

const sum = <K extends "filled" | "hours" | "unfilled">(xs: FilledHours[], k: K) => xs.reduce((n, x) => n + x[k], 0);
