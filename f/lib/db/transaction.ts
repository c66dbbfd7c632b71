// A transaction whose BEGIN travels with its first statement. postgres.js's sql.begin waits for
// BEGIN's answer before it runs the callback, and each wait is a round trip in which the step holds
// its connection and the engine's single thread switches away: a chunk's three transactions cost
// six round trips for BEGIN and COMMIT alone. Here BEGIN is queued on a reserved connection and
// the callback's first statement is written with it; COMMIT is awaited as before. Statements the
// callback issues without awaiting in between are pipelined too (they still run in order).
import type { Pool, Sql } from "./resource.ts";

export class TransactionAborted extends Error {
  constructor(readonly command: string) {
    super(`the transaction was not committed (the server answered ${command})`);
    this.name = "TransactionAborted";
  }
}

export async function inTransaction<T>(sql: Pool, fn: (tx: Sql) => Promise<T>): Promise<T> {
  const c = await sql.reserve();
  try {
    // Not awaited: written with the callback's first statement. Its failure fails them too.
    const begun = c`begin`;
    begun.catch(() => undefined);
    let result: T;
    try {
      result = await fn(c);
      await begun;
    } catch (e) {
      await c`rollback`.catch(() => undefined);
      throw e;
    }
    // A statement that failed while the callback went on (its error caught) leaves the transaction
    // aborted, and COMMIT then answers ROLLBACK without an error: nothing was written.
    const done = await c`commit`;
    if (done.command !== "COMMIT") throw new TransactionAborted(done.command);
    return result;
  } finally {
    c.release();
  }
}
