import { existsSync } from "node:fs";
import { join } from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startCli } from "../helpers/cli.ts";
import { embeddedEnv, type EmbeddedEnv } from "../helpers/embedded_env.ts";
import { asosSimTruth } from "../../src/simulators/asos.ts";

// `npm start` as on a fresh machine: no DATABASE_URL, no keys; an embedded PostgreSQL in its own
// dir, on its own port (never a developer's server on the default one).
let emb: EmbeddedEnv;
let env: NodeJS.ProcessEnv;
let dataDir: string;
beforeAll(async () => {
  emb = await embeddedEnv();
  env = emb.env;
  dataDir = emb.base;
});
afterAll(() => emb?.cleanup());

describe("pvpipe start", () => {
  it("--once: embedded database, simulator said aloud, 14 days of every KOSPO unit with coordinates, status", async () => {
    const r = await runCli(["start", "--once"], env, 480_000); // KOSPO, weather and KOEN catch-ups
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toMatch(/No NAMBU_API_KEY set: .* SYNTHETIC/);
    expect(r.stdout).toMatch(/database: embedded PostgreSQL \(started/);
    expect(r.stdout).toMatch(/kospo\/hourly\s+█{14}\s+materialized 252, stale 0, failed 0, missing 0 of 252/);
    expect(r.stdout).toContain(`database URL: postgres://pvpipe:***@127.0.0.1:${emb.port}/pv`);
    const q = await runCli(["sql", "select count(distinct (gencd, hogi))::int as units, count(*)::int as rows from nambu_generation", "--csv"], env);
    expect(q.stdout.trim().split("\n")[1]).toBe(`18,${18 * 14 * 24}`);
    // Weather: 14 days of every station matched to a plant, said aloud as synthetic, joined to every plant.
    expect(r.stderr).toMatch(/No ASOS_API_KEY set: .* SYNTHETIC/);
    expect(r.stdout).toMatch(/asos\/hourly\s+█{14}\s+materialized (\d+), stale 0, failed 0, missing 0 of \1/);
    const w = await runCli(["sql", `select (select count(distinct s) from plant_station, lateral (values (stn_id), (solar_stn_id)) v(s))::int as stations,
        (select count(*) from weather_asos where datetime >= (date_trunc('day', ops.clock_now() at time zone 'Asia/Seoul') - interval '14 days') at time zone 'Asia/Seoul'
           and datetime < date_trunc('day', ops.clock_now() at time zone 'Asia/Seoul') at time zone 'Asia/Seoul')::int as rows,
        (select count(*) from plant_station where operator = 'kospo')::int as mapped,
        (select count(distinct (plant_code, hogi)) from pv_weather_hourly where operator = 'kospo' and ta is not null)::int as joined`, "--csv"], env);
    const [stations, rows, mapped, joined] = w.stdout.trim().split("\n")[1].split(",").map(Number);
    expect(rows).toBe(stations * 14 * 24);
    expect(joined).toBe(mapped);
    expect(mapped).toBe(18);
    // KOEN: the last full month for every known unit, announced as synthetic.
    expect(r.stderr).toMatch(/KOEN_BASE_URL and KOEN_USE_REAL_SITE unset: .* SYNTHETIC/);
    expect(r.stdout).toMatch(/koen\/hourly\s+█\s+materialized 1, stale 0, failed 0, missing 0 of 1/);
    const k = await runCli(["sql", `with m as (select date_trunc('month', ops.clock_now() at time zone 'Asia/Seoul') - interval '1 month' as start)
      select (select count(*) from namdong_plants)::int as known,
        (select count(distinct (plant_name, hogi)) from namdong_generation, m
           where datetime >= m.start at time zone 'Asia/Seoul' and datetime < (m.start + interval '1 month') at time zone 'Asia/Seoul')::int as loaded,
        (select count(*) from namdong_generation, m
           where datetime >= m.start at time zone 'Asia/Seoul' and datetime < (m.start + interval '1 month') at time zone 'Asia/Seoul')::int as rows,
        (select extract(day from (m.start + interval '1 month') - m.start) from m)::int as days,
        (select count(*) from plant_station)::int as with_coords,
        (select count(distinct (operator, plant_code, hogi)) from pv_weather_hourly where ta is not null)::int as joined_all`, "--csv"], env);
    const [known, loaded, koenRows, days, withCoords, joinedAll] = k.stdout.trim().split("\n")[1].split(",").map(Number);
    expect(known).toBeGreaterThan(0);
    expect(loaded).toBe(known);
    expect(koenRows).toBe(known * days * 24);
    // pv_weather_hourly has rows for every plant with coordinates, both operators.
    expect(withCoords).toBe(18 + known);
    expect(joinedAll).toBe(withCoords);
    // Quality: status names the simulator's broken plant; measured values are their own fill, every
    // other filled value says how it was made (the PV meter gaps are filled), and a weather gap is
    // left NULL only without a basis.
    expect(r.stdout).toMatch(/kospo\/hourly[^\n]*\n\s+checks: \d+ failing \(one_cell_day 997S-1 ×14[,)]/);
    for (const table of ["nambu_generation", "namdong_generation"]) {
      const pv = await runCli(["sql", `select count(*) filter (where generation is not null and (generation_filled is distinct from generation or fill_method <> 'measured'))::int as bad_measured,
          count(*) filter (where generation is null and generation_filled is not null and fill_method in ('measured', 'none'))::int as bad_filled,
          count(*) filter (where generation_filled is null and fill_method <> 'none')::int as bad_none from ${table}`, "--csv"], env);
      expect(pv.stdout.trim().split("\n")[1], table).toBe("0,0,0");
      // The simulators' meter gaps (1–6 daytime hours, or whole days, on some unit-days) were filled from the
      // clear-sky index of the same day (in the shape of a sibling or the station where one was measured);
      // every unit has coordinates, so nothing is linear, and profile is gone.
      const fills = await runCli(["sql", `select count(*) filter (where fill_method in ('sibling_csi', 'station_csi', 'clear_sky_index'))::int as csi,
          count(*) filter (where fill_method in ('linear', 'profile', 'spline'))::int as other from ${table} where generation is null`, "--csv"], env);
      const [csi, other] = fills.stdout.trim().split("\n")[1].split(",").map(Number);
      expect(csi, table).toBeGreaterThan(0);
      expect(other, table).toBe(0);
    }
    const wq = await runCli(["sql", `select
        count(*) filter (where ta is not null and (ta_filled is distinct from ta or fill_methods->>'ta' <> 'measured'))::int as bad_measured,
        count(*) filter (where ta is null and ta_filled is not null and fill_methods->>'ta' not in ('linear', 'spline'))::int as bad_filled,
        count(*) filter (where icsr is null and icsr_filled is not null)::int as icsr_filled,
        count(*) filter (where icsr is null and icsr_filled is null and fill_methods->>'icsr' is not null and fill_methods->>'icsr' <> 'none')::int as bad_icsr,
        count(*) filter (where ta is null and ta_filled is null
          and exists (select 1 from weather_asos b where b.stn_id = w.stn_id and b.datetime = w.datetime - interval '1 hour' and b.ta is not null)
          and exists (select 1 from weather_asos a where a.stn_id = w.stn_id and a.datetime = w.datetime + interval '1 hour' and a.ta is not null))::int as ta_gap_with_basis,
        count(*) filter (where rn is null and (rn_filled is not null or fill_methods ? 'rn'))::int as rain_not_reported,
        count(*) filter (where rn is not null and rn_filled is distinct from rn)::int as rain_changed
      from weather_asos w`, "--csv"], env);
    const [badMeasured, badFilled, icsrFilled, badIcsr, taGap, rainNotReported, rainChanged] = wq.stdout.trim().split("\n")[1].split(",").map(Number);
    expect([badMeasured, badFilled, badIcsr, taGap]).toEqual([0, 0, 0, 0]);
    // No hour holds rain the source did not report.
    expect([rainNotReported, rainChanged]).toEqual([0, 0]);
    expect(icsrFilled).toBeGreaterThan(0); // the night hours the source leaves blank were filled
    // No radiation or sunshine is filled where the sun was up: every filled icsr/ss is a 0 for an hour the
    // simulator's truth has entirely dark (the sun below the horizon from tm − 1 h to tm).
    const acc = await runCli(["sql", `select stn_id, (extract(epoch from datetime) * 1000)::bigint as t,
        case when icsr is null then icsr_filled end as icsr_filled, case when ss is null then ss_filled end as ss_filled,
        fill_methods->>'icsr' as icsr_method, fill_methods->>'ss' as ss_method
      from weather_asos where (icsr is null and icsr_filled is not null) or (ss is null and ss_filled is not null)`, "--csv"], env);
    const filled = acc.stdout.trim().split("\n").slice(1).map((l) => l.split(","));
    expect(filled.length).toBeGreaterThan(100);
    const wrong = filled.filter(([stn, t, icsr, ss, im, sm]) => {
      const truth = asosSimTruth(Number(stn), Number(t));
      return (icsr !== "" && (Number(icsr) !== 0 || im !== "night_zero" || truth.icsr !== 0)) || (ss !== "" && (Number(ss) !== 0 || sm !== "night_zero" || truth.ss !== 0));
    });
    expect(wrong).toEqual([]);
    // Least privilege: the engine's role is no superuser, creates no databases or roles, owns
    // exactly its schemas and everything in them, and cannot read the server's secrets.
    const role = await runCli(["sql", `select r.rolsuper, r.rolcreatedb, r.rolcreaterole,
        (select string_agg(nspname, ' ' order by nspname) from pg_namespace where nspowner = r.oid) as schemas,
        (select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where c.relowner = r.oid and n.nspowner <> r.oid and n.nspname <> 'pg_toast')::int as elsewhere,
        has_table_privilege('pg_authid', 'select') as reads_authid
      from pg_roles r where r.rolname = current_user`, "--csv"], env);
    expect(role.stdout.trim().split("\n")[1]).toBe("false,false,false,ops public raw reporting stage,0,false");
    const denied = await runCli(["sql", "create database pvpipe_not_allowed"], env);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(/permission denied to create database/);
  }, 600_000);

  it("keeps running with the database up for other commands, and Ctrl-C stops everything cleanly (exit 130)", async () => {
    const app = await startCli(["start"], env, /running; Ctrl-C stops everything cleanly/, 480_000);
    expect(app.output()).toMatch(/schedule 0 30 9 \* \* \* \(Asia\/Seoul\): next \d{4}-\d{2}-\d{2} 09:30 KST/);
    expect(app.output()).toMatch(/schedule 0 0 10 10 \* \* \(Asia\/Seoul\): next \d{4}-\d{2}-10 10:00 KST/);
    // Nothing was missing any more: the second start has no work.
    expect(app.output()).toMatch(/0 partitions in 0 chunks/);
    // While it runs, Grafana can log in as its own role: reads the serving tables, nothing of ops, no writes.
    expect((await runCli(["db-url", "--reader"], env)).stdout).toMatch(/^postgres:\/\/pv_grafana:\*\*\*@127\.0\.0\.1:\d+\/pv/);
    const reader = postgres((await runCli(["db-url", "--reader", "--show-secrets"], env)).stdout.trim(), { max: 1, onnotice: () => {} });
    try {
      const [{ n }] = await reader<{ n: number }[]>`select count(*)::int as n from nambu_generation`;
      expect(n).toBe(18 * 14 * 24);
      await expect(reader`select 1 from ops.runs limit 1`).rejects.toThrow(/permission denied/);
      await expect(reader`delete from asos_stations`).rejects.toThrow(/read-only|permission denied/);
    } finally {
      await reader.end({ timeout: 5 });
    }
    const q = await runCli(["sql", "select count(*)::int as n from ops.runs", "--csv"], env);
    expect(q.code).toBe(0);
    expect(Number(q.stdout.trim().split("\n")[1])).toBeGreaterThanOrEqual(2);
    // The same counts as pvpipe status over the same window (KOEN: its ended months only).
    const status = await runCli(["status"], env);
    for (const asset of ["kospo/hourly", "asos/hourly", "koen/raw", "koen/hourly"]) {
      const line = (out: string) => out.split("\n").find((l) => l.startsWith(asset))?.replace(/\x1b\[\d+m/g, "");
      expect(line(status.stdout), asset).toBeDefined();
      expect(line(status.stdout)).toBe(line(app.output()));
    }
    app.child.kill("SIGINT");
    expect(await app.exited).toBe(130); // stopping is a normal outcome, with the shell's code for SIGINT
    expect(existsSync(join(dataDir, "postgres", "postmaster.pid"))).toBe(false);
  }, 600_000);
});
