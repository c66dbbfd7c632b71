// stage.partition_outcomes: what staging found for each partition of a chunk (success, empty, or
// failed with the reason), read by ingest to record the materializations. Staging again replaces them.
import type { Sql } from "../db/resource.ts";
import type { MaterializationStatus } from "./record_materializations.ts";

export type StagedOutcome = {
  partition: string;
  status: MaterializationStatus;
  error: string | null;
};

export async function recordStagedOutcomes(tx: Sql, runId: string, asset: string, outcomes: StagedOutcome[]): Promise<void> {
  await tx`
    insert into stage.partition_outcomes as o (run_id, asset, partition, status, error)
    select ${runId}, ${asset}, partition, status, error
    from jsonb_to_recordset(${tx.json(outcomes)}::jsonb) as t(partition text, status text, error text)
    on conflict (run_id, asset, partition) do update set status = excluded.status, error = excluded.error
  `;
}
