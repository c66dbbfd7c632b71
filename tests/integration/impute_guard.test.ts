// The second of impute's two guards of measured values: the UPDATE itself keeps any value that is
// measured when it runs, whatever the plan said. The plan (first guard) only knows the rows as it
// read them; a writer that does not take the partition lock (a person's SQL, a legacy import) can
// put a measured value into a gap between that read and the UPDATE. This test is that writer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pool } from "../../f/lib/db/resource.ts";
import { imputeAsset } from "../../f/lib/quality/impute.ts";
import { fileTestDb } from "../helpers/db.ts";
import { at, putKospoDay, putWeather } from "../helpers/quality.ts";
import { kospoSimValue } from "../../src/simulators/kospo.ts";

const db = fileTestDb();

/**
 * `sql` whose transactions run `beforeUpdate` (on another connection, committed) just before their
 * first UPDATE statement: the moment after impute read the rows and planned, before it writes.
 */
function withWriterBeforeUpdate(sql: Pool, beforeUpdate: () => Promise<void>): { sql: Pool; fired: () => number } {
  let fired = 0;
  const wrapTx = (tx: Pool): Pool =>
    new Proxy(tx, {
      get(target, prop, receiver) {
        if (prop !== "unsafe") return Reflect.get(target, prop, receiver);
        return async (query: string, ...rest: unknown[]) => {
          if (/^\s*(with\b[\s\S]*?\)\s*)?update\b/i.test(query)) {
            fired++;
            await beforeUpdate();
          }
          return (target.unsafe as (...a: unknown[]) => unknown)(query, ...rest);
        };
      },
    });
  // A transaction is sql.begin's, or a reserved connection's (f/lib/db/transaction.ts).
  const wrapped = new Proxy(sql, {
    get(target, prop, receiver) {
      if (prop === "begin") return (cb: (tx: Pool) => Promise<unknown>) => target.begin((tx) => cb(wrapTx(tx as unknown as Pool)));
      if (prop === "reserve") return async () => wrapTx((await target.reserve()) as unknown as Pool);
      return Reflect.get(target, prop, receiver);
    },
  });
  return { sql: wrapped, fired: () => fired };
}

describe("impute never overwrites a measured value, even one that arrives after it planned", () => {
  it("PV: hours measured between impute's read and its UPDATE keep their value and are 'measured'", async () => {
    const day = "2024-06-20";
    const truth = kospoSimValue("9985", 1, day);
    const gap = [10, 11, 12];
    await putKospoDay(db.sql, "9985-1", day, truth.map((v, h) => (gap.includes(h) ? null : v)));
    const late = gap.map((h) => ({ h, value: truth[h] + 1000 })); // far from any interpolated value
    const writer = withWriterBeforeUpdate(db.sql, async () => {
      for (const l of late) await db.sql`update nambu_generation set generation = ${l.value} where gencd = '9985' and hogi = 1 and datetime = ${at(day, l.h)}`;
    });
    const r = await imputeAsset(writer.sql, { asset: "kospo/hourly", start: day, end: day, pdims: ["9985-1"], runId: "guard-test" });
    expect(writer.fired()).toBeGreaterThan(0); // the writer really ran between plan and UPDATE
    expect(r.methods.clear_sky_index).toBeGreaterThan(0); // the plan did want to fill the gap
    const rows = await db.sql<{ h: number; generation: number; generation_filled: number; fill_method: string }[]>`
      select extract(hour from datetime at time zone 'Asia/Seoul')::int as h, generation, generation_filled, fill_method
      from nambu_generation where gencd = '9985' and hogi = 1 and datetime = any(${late.map((l) => at(day, l.h).toISOString())}::timestamptz[]) order by datetime`;
    expect(rows.map((x) => [x.h, x.generation, x.generation_filled, x.fill_method])).toEqual(late.map((l) => [l.h, l.value, l.value, "measured"]));
  });

  it("weather: a temperature measured between impute's read and its UPDATE is kept", async () => {
    const day = "2024-06-21";
    const hours = Array.from({ length: 24 }, (_, h) => h);
    const gap = [13, 14];
    await putWeather(db.sql, 112, hours.map((h) => ({ t: at(day, h), values: { ta: gap.includes(h) ? null : 20 + h / 10, hm: 60 } })));
    const writer = withWriterBeforeUpdate(db.sql, async () => {
      await db.sql`update weather_asos set ta = 99 where stn_id = 112 and datetime = any(${gap.map((h) => at(day, h).toISOString())}::timestamptz[])`;
    });
    await imputeAsset(writer.sql, { asset: "asos/hourly", start: day, end: day, pdims: ["112"], runId: "guard-test" });
    expect(writer.fired()).toBeGreaterThan(0);
    const rows = await db.sql<{ ta: number; ta_filled: number; method: string }[]>`
      select ta, ta_filled, fill_methods->>'ta' as method from weather_asos
      where stn_id = 112 and datetime = any(${gap.map((h) => at(day, h).toISOString())}::timestamptz[]) order by datetime`;
    expect(rows.map((x) => [x.ta, x.ta_filled, x.method])).toEqual(gap.map(() => [99, 99, "measured"]));
  });
});
