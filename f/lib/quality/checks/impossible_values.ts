// impossible_values: values no working meter or sensor produces. PV: negative generation or daily
// total, or an hour above factor × rated capacity (kWh in one hour > 1.2 × kW) where the capacity is
// known. Weather: a field outside its physical range. value = the worst offending value. Blocking:
// impute must not interpolate from such anchors.
import { pvCheck, weatherCheck, type AssetCheckSpec } from "../check_spec.ts";
import { ident } from "../../sources/serving_table.ts";
import { num } from "./common.ts";

export function impossiblePv(o: { capacityFactor: number } = { capacityFactor: 1.2 }): AssetCheckSpec {
  const f = Number(o.capacityFactor);
  return pvCheck({ name: "impossible_values", severity: "error", blocking: true, description: `no negative values, no hour above ${f} × capacity` }, (m) => {
    return `with agg as (
        select sid, min(h.v) as vmin, max(h.v) as vmax, min(h.dt) as dtmin,
               (array_agg(h.hr order by h.v asc) filter (where h.v is not null))[1] as hmin,
               (array_agg(h.hr order by h.v desc) filter (where h.v is not null))[1] as hmax
        from h group by sid
      ), x as (select s.sid, s.capacity_kw as cap, a.vmin, a.vmax, a.dtmin, a.hmin, a.hmax from s left join agg a using (sid))
      select sid,
        not (coalesce(vmin < 0, false) or coalesce(dtmin < 0, false) or coalesce(cap is not null and vmax > ${f} * cap, false)) as passed,
        case when vmin < 0 then vmin when dtmin < 0 then dtmin else vmax end as value,
        case
          when vmin < 0 then 'negative generation ' || ${num("vmin", 3)} || ' kWh at ' || lpad(hmin::text, 2, '0') || ':00'
          when dtmin < 0 then 'negative daily total ' || ${num("dtmin", 3)} || ' kWh'
          when cap is not null and vmax > ${f} * cap then
            'generation ' || ${num("vmax", 3)} || ' kWh at ' || lpad(hmax::text, 2, '0') || ':00 is above ${f} × capacity ' || ${num("cap")} || ' kW'
          when cap is null then 'no negative values (capacity unknown: upper bound not checked)'
          else 'all values within 0..${f} × capacity ' || ${num("cap")} || ' kW'
        end as message
      from x`;
  });
}

/** Physical ranges of weather fields (units as the source gives them). */
export type FieldRanges = Record<string, readonly [number, number]>;

/** Physical ranges of ASOS fields (units as KMA gives them). */
export const ASOS_RANGES: FieldRanges = {
  ta: [-50, 50],
  td: [-60, 40],
  hm: [0, 100],
  pa: [500, 1100],
  ps: [850, 1100],
  rn: [0, 400],
  ss: [0, 1],
  icsr: [0, 5],
  ws: [0, 75],
  wd: [0, 360],
};

export function impossibleWeather(ranges: FieldRanges = ASOS_RANGES): AssetCheckSpec {
  const fields = Object.keys(ranges);
  return weatherCheck({ name: "impossible_values", severity: "error", blocking: true, description: "every value within its physical range", columns: fields }, (m) => {
    const out = (f: string) => `(h.${ident(f)} < ${ranges[f][0]} or h.${ident(f)} > ${ranges[f][1]})`;
    const n = (f: string) => `coalesce(a.${ident(`n_${f}`)}, 0)`;
    const counts = fields.map((f) => `count(*) filter (where ${out(f)})::int as ${ident(`n_${f}`)}`).join(", ");
    const firsts = fields.map((f) => `(array_agg(h.${ident(f)} order by h.datetime) filter (where ${out(f)}))[1] as ${ident(`x_${f}`)}`).join(", ");
    const total = fields.map(n).join(" + ");
    const first = fields.map((f) => `case when ${n(f)} > 0 then a.${ident(`x_${f}`)} end`).join(", ");
    const parts = fields
      .map((f) => `case when ${n(f)} > 0 then '${f} ' || ${num(`a.${ident(`x_${f}`)}`, 2)} || ' outside ${ranges[f][0]}..${ranges[f][1]} (' || ${n(f)} || ' h)' end`)
      .join(", ");
    return `with agg as (select sid, ${counts}, ${firsts} from h group by sid)
      select s.sid, (${total}) = 0 as passed, coalesce(${first}) as value,
        case when (${total}) = 0 then 'every value within its physical range' else concat_ws('; ', ${parts}) end as message
      from s left join agg a using (sid)`;
  });
}
