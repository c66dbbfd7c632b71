// A unit a load added to its units table without coordinates is a warning of the asset
// (`new_plant_unit`, in ops.check_results), shown with the checks until someone adds the unit's data.
import type { Sql } from "../db/resource.ts";

export async function recordNewUnitWarnings(tx: Sql, asset: string, runId: string, warnings: { partition: string; message: string }[]): Promise<void> {
  if (warnings.length === 0) return;
  await tx`
    insert into ops.check_results (asset, partition, check_name, passed, severity, value, message, run_id)
    select ${asset}, partition, 'new_plant_unit', false, 'warn', null, message, ${runId}
    from jsonb_to_recordset(${tx.json(warnings)}::jsonb) as t(partition text, message text)
  `;
}
