// inTransaction (f/lib/db/transaction.ts): BEGIN travels with the first statement, and the
// transaction keeps sql.begin's guarantees — all or nothing, whatever the callback does with errors.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction, TransactionAborted } from "../../f/lib/db/transaction.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb({ migrate: false });
  await db.sql`create table t (k int primary key, v text)`;
});
afterAll(async () => db?.drop());

const rows = async () => (await db.sql<{ k: number }[]>`select k from t order by k`).map((r) => r.k);

describe("inTransaction", () => {
  it("commits what the callback wrote, pipelined statements in order, and returns its result", async () => {
    const r = await inTransaction(db.sql, async (tx) => {
      const [, second] = await Promise.all([tx`insert into t values (1, 'a')`, tx`select count(*)::int as n from t`]);
      return second[0].n;
    });
    expect(r).toBe(1);
    expect(await rows()).toEqual([1]);
  });

  it("is one transaction: what it wrote is not seen from outside before COMMIT", async () => {
    await inTransaction(db.sql, async (tx) => {
      await tx`insert into t values (2, 'b')`;
      const [{ inside }] = await tx<{ inside: boolean }[]>`select txid_current_if_assigned() is not null as inside`;
      expect(inside).toBe(true);
      expect(await rows()).toEqual([1]);
    });
    expect(await rows()).toEqual([1, 2]);
  });

  it("rolls back when the callback throws, and says why", async () => {
    await expect(
      inTransaction(db.sql, async (tx) => {
        await tx`insert into t values (3, 'c')`;
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await rows()).toEqual([1, 2]);
  });

  it("writes nothing when a statement failed even if the callback caught its error", async () => {
    await expect(
      inTransaction(db.sql, async (tx) => {
        await tx`insert into t values (4, 'd')`;
        await tx`insert into t values (1, 'duplicate')`.catch(() => undefined);
      }),
    ).rejects.toBeInstanceOf(TransactionAborted);
    expect(await rows()).toEqual([1, 2]);
  });

  it("leaves the connection usable: a failed BEGIN-pipelined statement rolls back cleanly", async () => {
    await expect(inTransaction(db.sql, (tx) => tx`select * from no_such_table`)).rejects.toThrow(/no_such_table/);
    for (let i = 0; i < 6; i++) await inTransaction(db.sql, (tx) => tx`select 1`);
    expect(await rows()).toEqual([1, 2]);
  });
});
