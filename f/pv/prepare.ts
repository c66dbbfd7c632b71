// Ready the database for a flow's steps (Windmill has no start hook, so every flow begins here):
// pending migrations and reference data, then the stage rows of runs that ended or were abandoned.
import { ensureReady } from "../lib/db/setup.ts";
import { withDb, type PgResource } from "../lib/db/resource.ts";
import { postgresqlResource, stepArgs } from "../lib/runtime/step_args.ts";
import { collectStageGarbage } from "../lib/store/stage_gc.ts";

type Postgresql = PgResource;

export const args = stepArgs("prepare", { db: postgresqlResource });

export async function main(db: Postgresql) {
  const a = args.parse({ db });
  return withDb(a.db, async (sql) => {
    const migrations = await ensureReady(sql);
    const stageRows = await collectStageGarbage(sql);
    return { migrations, stage_rows_removed: stageRows };
  });
}
