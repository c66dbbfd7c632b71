// Stations seed, plant ↔ station matching (haversine in SQL) and the operator branches of the
// mapping and of pv_weather_hourly.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureReady } from "../../f/lib/db/setup.ts";
import { ensureWeatherViews, haversineKm, refreshPlantStation } from "../../f/lib/sources/asos/plant_station.ts";
import { ASOS_STATIONS } from "../../f/lib/reference/stations_gen.ts";
import { fileTestDb } from "../helpers/db.ts";

const db = fileTestDb();

async function mapping(operator: string, code: string, hogi: number) {
  const [r] = await db.sql<{ stn_id: number; distance_km: number; solar_stn_id: number; solar_distance_km: number }[]>`
    select stn_id, distance_km, solar_stn_id, solar_distance_km from plant_station
    where operator = ${operator} and plant_code = ${code} and hogi = ${hogi}`;
  return r;
}

describe("asos_stations", () => {
  it("is seeded with the 95 stations of data/asos_stations.csv, 63 with a pyranometer", async () => {
    const [s] = await db.sql`select count(*)::int as n, count(*) filter (where has_solar_sensor)::int as solar,
      count(*) filter (where latitude between 33 and 39 and longitude between 124 and 132)::int as in_korea from asos_stations`;
    expect(s).toEqual({ n: 95, solar: 63, in_korea: 95 });
    const [seoul] = await db.sql`select station_name, has_solar_sensor from asos_stations where stn_id = 108`;
    expect(seoul).toEqual({ station_name: "서울", has_solar_sensor: true });
    // DOMAIN §3.4: no pyranometer at 울진 (130) and 거제 (294).
    const none = await db.sql`select stn_id from asos_stations where stn_id in (130, 294) and not has_solar_sensor order by 1`;
    expect(none.map((r) => r.stn_id)).toEqual([130, 294]);
    expect(ASOS_STATIONS).toHaveLength(95);
  });
});

describe("plant_station", () => {
  it("maps every KOSPO plant with coordinates to its nearest station and nearest pyranometer station", async () => {
    const [{ plants }] = await db.sql`select count(*)::int as plants from nambu_plants where latitude is not null and longitude is not null`;
    const rows = await db.sql`select * from plant_station where operator = 'kospo'`;
    expect(rows).toHaveLength(plants);
    expect(plants).toBe(18);
    const stations = await db.sql<{ stn_id: number; latitude: number; longitude: number; has_solar_sensor: boolean }[]>`select * from asos_stations`;
    for (const r of rows) {
      // Brute force in JS agrees with the SQL haversine.
      const byDistance = stations
        .map((s) => ({ s, km: haversineKm(r.latitude, r.longitude, s.latitude, s.longitude) }))
        .sort((a, b) => a.km - b.km || a.s.stn_id - b.s.stn_id);
      expect(r.stn_id).toBe(byDistance[0].s.stn_id);
      expect(r.distance_km).toBeCloseTo(byDistance[0].km, 6);
      const solar = byDistance.find((x) => x.s.has_solar_sensor)!;
      expect(r.solar_stn_id).toBe(solar.s.stn_id);
      expect(r.solar_distance_km).toBeCloseTo(solar.km, 6);
      expect(r.solar_distance_km).toBeGreaterThanOrEqual(r.distance_km);
    }
    // 삼척소내 (S997): nearest is 울진 130 at about 21 km, which has no pyranometer (DOMAIN §3.6).
    const samcheok = await mapping("kospo", "S997", 1);
    expect(samcheok.stn_id).toBe(130);
    expect(samcheok.distance_km).toBeCloseTo(21.4, 0);
    expect(samcheok.solar_stn_id).not.toBe(130);
  });

  // DOMAIN §3.6 quotes 2.74 km to 북창원 from the earlier audit's station coordinates; with the
  // coordinates of data/asos_stations.csv it is 3.90 km — still nearer than 창원 (7.21 km).
  it("a plant at 35.2119,128.6336 (두산엔진MG) maps to 255 북창원, not 155 창원 at 7.21 km", async () => {
    await db.sql`update nambu_plants set latitude = 35.2119, longitude = 128.6336 where gencd = '9985' and hogi = 1`;
    const r = await refreshPlantStation(db.sql);
    expect(r.written).toBe(1);
    const m = await mapping("kospo", "9985", 1);
    expect(m.stn_id).toBe(255);
    expect(m.distance_km).toBeCloseTo(3.9, 1);
    expect(m.solar_stn_id).toBe(255);
    const [changwon] = await db.sql`select latitude, longitude from asos_stations where stn_id = 155`;
    expect(haversineKm(35.2119, 128.6336, changwon.latitude, changwon.longitude)).toBeCloseTo(7.21, 1);
    expect(m.distance_km).toBeLessThan(7.21);
  });

  it("is recomputed when plants or stations change, writing only what changed", async () => {
    // ensureReady re-seeds the reference coordinates and recomputes the mapping.
    await ensureReady(db.sql);
    const back = await mapping("kospo", "9985", 1);
    expect(back.stn_id).not.toBe(255);
    const again = await refreshPlantStation(db.sql);
    const [{ n }] = await db.sql`select count(*)::int as n from plant_station`;
    expect(again).toMatchObject({ plants: n, written: 0, removed: 0 });

    // A station losing its pyranometer moves the plants that used it to the next one.
    const before = await mapping("kospo", "S997", 1);
    await db.sql`update asos_stations set has_solar_sensor = false where stn_id = ${before.solar_stn_id}`;
    await refreshPlantStation(db.sql);
    const after = await mapping("kospo", "S997", 1);
    expect(after.solar_stn_id).not.toBe(before.solar_stn_id);
    expect(after.solar_distance_km).toBeGreaterThan(before.solar_distance_km);

    // A plant losing its coordinates leaves the mapping.
    await db.sql`update nambu_plants set latitude = null where gencd = '9985' and hogi = 1`;
    expect((await refreshPlantStation(db.sql)).removed).toBe(1);
    expect(await mapping("kospo", "9985", 1)).toBeUndefined();

    await ensureReady(db.sql); // reference data back
    expect((await mapping("kospo", "9985", 1))?.stn_id).toBe(back.stn_id);
    expect((await mapping("kospo", "S997", 1)).solar_stn_id).toBe(before.solar_stn_id);
  });

  it("covers the KOEN plants once namdong_plants exists, and pv_weather_hourly unions namdong_generation", async () => {
    const [{ exists }] = await db.sql`select to_regclass('public.namdong_plants') is not null as exists`;
    if (!exists) {
      // Stand-in for the KOEN migration (plant_name, hogi, latitude, longitude, …).
      await db.sql`create table public.namdong_plants (plant_name text not null, hogi int not null, latitude float8, longitude float8, primary key (plant_name, hogi))`;
      await db.sql`insert into public.namdong_plants values ('두산엔진MG태양광', 1, 35.2119, 128.6336), ('무좌표태양광', 1, null, null)`;
    }
    await refreshPlantStation(db.sql);
    const doosan = await mapping("koen", "두산엔진MG태양광", 1);
    expect(doosan.stn_id).toBe(255);
    expect(doosan.distance_km).toBeCloseTo(3.9, 1);
    const [{ koen }] = await db.sql`select count(*)::int as koen from plant_station where operator = 'koen'`;
    const [{ withCoords }] = await db.sql`select count(*)::int as "withCoords" from namdong_plants where latitude is not null and longitude is not null`;
    expect(koen).toBe(withCoords);

    const [{ gen }] = await db.sql`select to_regclass('public.namdong_generation') is not null as gen`;
    if (!gen) {
      // Stand-in for the KOEN serving table; created after the view, so the view must follow.
      await db.sql`create table public.namdong_generation (datetime timestamptz not null, plant_name text not null, hogi int not null, generation float8, primary key (plant_name, hogi, datetime))`;
      expect(await ensureWeatherViews(db.sql)).toEqual({ operators: ["kospo", "koen"], recreated: true });
    }
    const hasHour = (await db.sql`select 1 from information_schema.columns where table_name = 'namdong_generation' and column_name = 'hour'`).length > 0;
    await db.sql.unsafe(
      `insert into public.namdong_generation (datetime, plant_name, hogi, generation${hasHour ? ", hour" : ""})
       values ('2024-06-02 11:00+09', '두산엔진MG태양광', 1, 512.5${hasHour ? ", 12" : ""})`,
    );
    await db.sql`insert into public.weather_asos (datetime, stn_id, station_name, ta, icsr) values ('2024-06-02 12:00+09', 255, '북창원', 24.1, 2.5)`;
    expect(await ensureWeatherViews(db.sql)).toEqual({ operators: ["kospo", "koen"], recreated: false });
    await db.sql`comment on view public.pv_weather_hourly is null`; // as if defined by an older version
    expect(await ensureWeatherViews(db.sql)).toEqual({ operators: ["kospo", "koen"], recreated: true });
    const rows = await db.sql`select operator, plant_code, hogi, plant_name, datetime, generation, stn_id, station_name, ta, icsr, solar_stn_id
      from pv_weather_hourly where operator = 'koen'`;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ plant_code: "두산엔진MG태양광", hogi: 1, generation: 512.5, stn_id: 255, station_name: "북창원", ta: 24.1, icsr: 2.5, solar_stn_id: 255 });
    expect(rows[0].datetime).toEqual(new Date("2024-06-02T11:00:00+09:00"));
    const [c] = await db.sql`select obj_description('public.pv_weather_hourly'::regclass, 'pg_class') as c`;
    expect(c.c).toMatch(/tm = T \+ 1 h/);
  });
});
