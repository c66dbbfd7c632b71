// KOSPO plant units as the partitions' unit dimension: `GENCD-HOGI` keys, each from its first known day.
import { ActionableError } from "../../runtime/errors.ts";
import type { UnitCodec } from "../../assets/partition_key.ts";
import { dynamicKeys } from "../../assets/partitions.ts";
import type { Sql } from "../../db/resource.ts";
import type { DimKey } from "../../store/partition_states.ts";

export class UnknownPlantUnit extends ActionableError {}

export interface KospoUnit {
  gencd: string;
  hogi: number;
}

export const KOSPO_UNIT_DIMENSION = dynamicKeys("kospo_unit");

export const kospoUnitKey = (gencd: string, hogi: number): string => `${gencd}-${hogi}`;

export function parseKospoUnitKey(key: string): KospoUnit {
  const i = key.lastIndexOf("-");
  const gencd = key.slice(0, i);
  const hogi = Number(key.slice(i + 1));
  if (i <= 0 || !Number.isInteger(hogi)) throw new UnknownPlantUnit(`"${key}" is not a KOSPO unit key (GENCD-HOGI)`);
  return { gencd, hogi };
}

export const KOSPO_UNIT_CODEC: UnitCodec<KospoUnit> = {
  keyed: true,
  format: (u) => kospoUnitKey(u.gencd, u.hogi),
  parse: parseKospoUnitKey,
};

/**
 * Units to plan for: one code/unit when given, else every unit that has coordinates (the others
 * never returned data). A code or unit not in the code table is an error, not an empty plan.
 */
export async function kospoDims(sql: Sql, filter: { gencd?: string; hogi?: number }): Promise<DimKey[]> {
  const gencd = filter.gencd?.trim() || null;
  const hogi = filter.hogi && filter.hogi > 0 ? filter.hogi : null;
  const rows = await sql<{ gencd: string; hogi: number; first_date: string | null }[]>`
    select gencd, hogi, to_char(first_date, 'YYYY-MM-DD') as first_date from public.nambu_plants
    where (${gencd}::text is null or gencd = ${gencd}::text)
      and (${hogi}::int is null or hogi = ${hogi}::int)
      and (${gencd}::text is not null or latitude is not null)
    order by gencd, hogi
  `;
  if (rows.length === 0) {
    const known = await sql<{ gencd: string }[]>`select distinct gencd from public.nambu_plants order by 1`;
    if (gencd && !known.some((k) => k.gencd === gencd)) {
      throw new UnknownPlantUnit(`unknown KOSPO plant code "${gencd}" (known: ${known.map((k) => k.gencd).join(", ")})`);
    }
    throw new UnknownPlantUnit(`KOSPO plant ${gencd ?? "(any)"} has no unit ${hogi}`);
  }
  return rows.map((r) => ({ key: kospoUnitKey(r.gencd, r.hogi), from: r.first_date }));
}
