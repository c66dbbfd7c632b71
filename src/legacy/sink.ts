// Where the legacy readers put corrected rows: stage.legacy_{kospo,koen,asos}, through COPY in
// batches, plus what they could not place (reported, never imported) and one line per source read.
import { copyRows, type CopyValue } from "../../f/lib/db/copy.ts";
import type { Sql } from "../../f/lib/db/resource.ts";

/** A PV hour's values as both operators' tables hold them. */
interface PvValues {
  generation: number | null;
  dailyTotal: number | null;
  dailyAvg: number | null;
  dailyMax: number | null;
  dailyMin: number | null;
}

export interface LegacyKospoRow extends PvValues {
  origin: "db" | "bulk_csv" | "processed_csv";
  ref: number;
  gencd: string;
  hogi: number;
  plantName: string | null;
  datetime: Date;
  shifted: boolean;
}

export interface LegacyKoenRow extends PvValues {
  origin: "db" | "koen_csv";
  ref: number;
  legacyName: string;
  plantName: string;
  hogi: number;
  datetime: Date;
  hour: number;
  shifted: boolean;
}

export interface LegacyAsosRow {
  origin: "db" | "csv" | "csv_merged";
  ref: number;
  stnId: number;
  stationName: string | null;
  datetime: Date;
  ta: number | null;
  hm: number | null;
  icsr: number | null;
}

/** Rows a reader could not place, per legacy table/file family and name, with why. */
export interface Unplaced {
  table: string;
  unit: string;
  rows: number;
  reason: string;
}

const BATCH = 20_000;

export class LegacySink {
  readonly sources: string[] = [];
  private readonly unplaced = new Map<string, Unplaced>();
  private kospo: CopyValue[][] = [];
  private koen: CopyValue[][] = [];
  private asos: CopyValue[][] = [];

  constructor(private readonly tx: Sql, private readonly runId: string) {}

  note(line: string): void {
    this.sources.push(line);
  }

  reject(table: string, unit: string, reason: string, rows = 1): void {
    const k = `${table}\u0000${unit}\u0000${reason}`;
    const u = this.unplaced.get(k);
    if (u) u.rows += rows;
    else this.unplaced.set(k, { table, unit, rows, reason });
  }

  get rejected(): Unplaced[] {
    return [...this.unplaced.values()];
  }

  async addKospo(r: LegacyKospoRow): Promise<void> {
    this.kospo.push([this.runId, r.origin, r.ref, r.gencd, r.hogi, r.plantName, r.datetime, r.shifted, r.generation, r.dailyTotal, r.dailyAvg, r.dailyMax, r.dailyMin]);
    if (this.kospo.length >= BATCH) await this.flush();
  }

  async addKoen(r: LegacyKoenRow): Promise<void> {
    this.koen.push([this.runId, r.origin, r.ref, r.legacyName, r.plantName, r.hogi, r.datetime, r.hour, r.shifted, r.generation, r.dailyTotal, r.dailyAvg, r.dailyMax, r.dailyMin]);
    if (this.koen.length >= BATCH) await this.flush();
  }

  async addAsos(r: LegacyAsosRow): Promise<void> {
    this.asos.push([this.runId, r.origin, r.ref, r.stnId, r.stationName, r.datetime, r.ta, r.hm, r.icsr]);
    if (this.asos.length >= BATCH) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.kospo.length) {
      await copyRows(this.tx, "stage.legacy_kospo",
        ["run_id", "origin", "ref", "gencd", "hogi", "plant_name", "datetime", "shifted", "generation", "daily_total", "daily_avg", "daily_max", "daily_min"], this.kospo);
      this.kospo = [];
    }
    if (this.koen.length) {
      await copyRows(this.tx, "stage.legacy_koen",
        ["run_id", "origin", "ref", "legacy_name", "plant_name", "hogi", "datetime", "hour", "shifted", "generation", "daily_total", "daily_avg", "daily_max", "daily_min"], this.koen);
      this.koen = [];
    }
    if (this.asos.length) {
      await copyRows(this.tx, "stage.legacy_asos",
        ["run_id", "origin", "ref", "stn_id", "station_name", "datetime", "ta", "hm", "icsr"], this.asos);
      this.asos = [];
    }
  }
}
