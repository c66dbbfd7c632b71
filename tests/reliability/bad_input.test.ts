// Bad input from people, table-driven, through the real CLI: impossible dates, reversed ranges,
// unknown sources/plants/units/stations, SQL-looking strings in every option, and broken
// configuration (keys with quotes or whitespace, encoded vs decoded keys, malformed DATABASE_URL).
// Each: exit 2 with one line saying what was wrong (or a clean empty result), no stack trace
// unless --debug, nothing written, no secret printed. Tallies go to results/bad_input.json.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pLimit from "p-limit";
import { cliEnv, pgUrl, runCli, type CliResult } from "../helpers/cli.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { DEFAULT_SIM_KEY, startKospoSim, type KospoSim } from "../../src/simulators/kospo.ts";
import { countSecrets, settleSuite } from "./guarantees.ts";

const TEST = "tests/reliability/bad_input.test.ts";
const INJ = "997S'; drop table nambu_generation; --";
const DAY = "2024-03-01";

interface Case {
  name: string;
  args: string[];
  env?: Record<string, string | undefined>;
  /** 2 = usage/config error (default); 0 = a clean empty result. */
  code?: 0 | 2;
  message: RegExp;
  kind: "cli" | "config";
}

const bf = (...extra: string[]) => ["backfill", "--source", "kospo", "--start", DAY, "--end", DAY, ...extra];

const CASES: Case[] = [
  // Dates and ranges
  { kind: "cli", name: "impossible date 2024-02-30", args: ["backfill", "--source", "kospo", "--start", "2024-02-30", "--end", DAY], message: /--start: not a real calendar date/ },
  { kind: "cli", name: "month 13", args: ["backfill", "--source", "kospo", "--start", "2024-13-01", "--end", DAY], message: /--start/ },
  { kind: "cli", name: "day 32 in --end", args: ["backfill", "--source", "kospo", "--start", DAY, "--end", "2024-03-32"], message: /--end/ },
  { kind: "cli", name: "start after end", args: ["backfill", "--source", "kospo", "--start", "2024-03-05", "--end", DAY], message: /start 2024-03-05 is after end 2024-03-01/ },
  { kind: "cli", name: "end in the future", args: ["backfill", "--source", "kospo", "--start", DAY, "--end", "2099-01-01"], message: /later than yesterday/ },
  { kind: "cli", name: "status --start after --end", args: ["status", "--start", "2024-03-05", "--end", DAY], message: /after --end/ },
  // Unknown things
  { kind: "cli", name: "unknown source", args: ["backfill", "--source", "kepco", "--start", DAY, "--end", DAY], message: /--source must be kospo, asos or koen/ },
  { kind: "cli", name: "unknown plant code", args: bf("--gencd", "ZZZZ"), message: /unknown KOSPO plant code "ZZZZ"/ },
  { kind: "cli", name: "unknown unit of a plant", args: bf("--gencd", "997S", "--hogi", "9"), message: /997S has no unit 9/ },
  { kind: "cli", name: "unit 0", args: bf("--gencd", "997S", "--hogi", "0"), message: /--hogi/ },
  { kind: "cli", name: "--hogi without --gencd", args: bf("--hogi", "1"), message: /--hogi needs --gencd/ },
  { kind: "cli", name: "unknown ASOS station", args: ["backfill", "--source", "asos", "--start", DAY, "--end", DAY, "--station", "99999"], message: /unknown ASOS station 99999/ },
  { kind: "cli", name: "unknown policy", args: bf("--policy", "everything"), message: /--policy/ },
  { kind: "cli", name: "parallelism 0", args: bf("--parallelism", "0"), message: /--parallelism/ },
  { kind: "cli", name: "unknown flow", args: ["run", "nightly"], message: /unknown flow "nightly"/ },
  { kind: "cli", name: "unknown flow input", args: ["run", "backfill", "--input", "colour=blue"], message: /unknown input "colour"/ },
  // SQL-looking strings in every option
  { kind: "cli", name: "SQL in --source", args: ["backfill", "--source", INJ, "--start", DAY, "--end", DAY], message: /--source must be kospo, asos or koen/ },
  { kind: "cli", name: "SQL in --start", args: ["backfill", "--source", "kospo", "--start", INJ, "--end", DAY], message: /--start/ },
  { kind: "cli", name: "SQL in --end", args: ["backfill", "--source", "kospo", "--start", DAY, "--end", INJ], message: /--end/ },
  { kind: "cli", name: "SQL in --gencd", args: bf("--gencd", INJ), message: /unknown KOSPO plant code/ },
  { kind: "cli", name: "SQL in --hogi", args: bf("--gencd", "997S", "--hogi", INJ), message: /--hogi/ },
  { kind: "cli", name: "SQL in --station", args: ["backfill", "--source", "asos", "--start", DAY, "--end", DAY, "--station", INJ], message: /--station/ },
  { kind: "cli", name: "SQL in --policy", args: bf("--policy", INJ), message: /--policy/ },
  { kind: "cli", name: "SQL in --parallelism", args: bf("--parallelism", INJ), message: /--parallelism/ },
  { kind: "cli", name: "SQL in plan --gencd", args: ["plan", "--source", "kospo", "--start", DAY, "--end", DAY, "--gencd", INJ], message: /unknown KOSPO plant code/ },
  { kind: "cli", name: "SQL in status --start", args: ["status", "--start", INJ], message: /--start|date/ },
  { kind: "cli", name: "SQL in status --asset", args: ["status", "--asset", INJ, "--start", DAY, "--end", DAY], message: /unknown asset "997S'; drop table/ },
  { kind: "cli", name: "SQL-looking plant in plan --json: a clean usage error", args: ["plan", "--source", "kospo", "--start", DAY, "--end", DAY, "--gencd", "997S OR 1=1", "--json"], message: /unknown KOSPO plant code/ },
  { kind: "cli", name: "SQL in run --input plant", args: ["run", "backfill", "--input", "source=kospo", "--input", `start=${DAY}`, "--input", `end=${DAY}`, "--input", `plant=${INJ}`], message: /plant|unknown/ },
  { kind: "cli", name: "SQL as a flow name", args: ["run", INJ], message: /unknown flow/ },
  { kind: "cli", name: "SQL in check --asset", args: ["check", "--asset", INJ, "--start", DAY, "--end", DAY], message: /asset/ },
  { kind: "cli", name: "SQL in impute --asset", args: ["impute", "--asset", INJ, "--start", DAY, "--end", DAY], message: /asset/ },
  // Configuration
  { kind: "config", name: "key wrapped in quotes", args: bf(), env: { NAMBU_API_KEY: `"${DEFAULT_SIM_KEY}"` }, message: /NAMBU_API_KEY is wrapped in quotes/ },
  { kind: "config", name: "key with whitespace inside", args: bf(), env: { NAMBU_API_KEY: `${DEFAULT_SIM_KEY.slice(0, 6)} ${DEFAULT_SIM_KEY.slice(6)}` }, message: /NAMBU_API_KEY contains whitespace/ },
  { kind: "config", name: "key with broken %-encoding", args: bf(), env: { NAMBU_API_KEY: `${DEFAULT_SIM_KEY}%ZZ` }, message: /NAMBU_API_KEY contains a '%'/ },
  { kind: "config", name: "fallback key DATA_GO_KR_API_KEY in quotes", args: bf(), env: { NAMBU_API_KEY: undefined, DATA_GO_KR_API_KEY: `'${DEFAULT_SIM_KEY}'` }, message: /DATA_GO_KR_API_KEY is wrapped in quotes/ },
  { kind: "config", name: "KOSPO_API_URL without a key", args: bf(), env: { NAMBU_API_KEY: undefined }, message: /KOSPO_API_URL is set but NAMBU_API_KEY/ },
  { kind: "config", name: "DATABASE_URL not a URL", args: ["status"], env: { DATABASE_URL: "not a url" }, message: /DATABASE_URL is not a valid URL/ },
  { kind: "config", name: "DATABASE_URL of another database kind", args: ["status"], env: { DATABASE_URL: "mysql://u:p@h/db" }, message: /DATABASE_URL must start with postgres/ },
  { kind: "config", name: "DATABASE_URL without a database name", args: ["status"], env: { DATABASE_URL: "postgres://u:p@localhost:5432/" }, message: /DATABASE_URL needs a host and a database name/ },
  { kind: "config", name: "--db-url malformed", args: ["status", "--db-url", "postgres//nohost"], message: /--db-url/ },
];

/** Keys given in the other form still work (the key is normalised, encoded exactly once). */
const WORKING_KEYS: { name: string; key: string }[] = [
  { name: "decoded key", key: DEFAULT_SIM_KEY },
  { name: "encoded key where a decoded one is expected", key: encodeURIComponent(DEFAULT_SIM_KEY) },
  { name: "key encoded twice", key: encodeURIComponent(encodeURIComponent(DEFAULT_SIM_KEY)) },
  { name: "key with stray whitespace around it", key: `  ${DEFAULT_SIM_KEY}\t` },
];

let db: TestDb;
let okDb: TestDb;
let sim: KospoSim;
let env: NodeJS.ProcessEnv;
const outputs: string[] = [];
const results = new Map<string, { lost: number; duplicated: number } | null>();

beforeAll(async () => {
  [db, okDb] = await Promise.all([createTestDb(), createTestDb()]);
  sim = await startKospoSim();
  env = cliEnv({ DATABASE_URL: pgUrl(db.resource), NAMBU_API_KEY: DEFAULT_SIM_KEY, KOSPO_API_URL: sim.url });
});

afterAll(async () => {
  if (results.size > 0) {
    const leaked = countSecrets(outputs, [DEFAULT_SIM_KEY, db.resource.password]);
    expect(leaked.where).toEqual([]);
    const n = (k: Case["kind"]) => CASES.filter((c) => c.kind === k && results.has(c.name)).length;
    const keyRuns = WORKING_KEYS.map((k) => results.get(k.name)).filter((r) => r !== undefined && r !== null);
    settleSuite(
      {
        suite: "bad_input",
        title: "Bad input from people",
        order: 3,
        lines: [
          {
            claim: "Impossible dates, reversed ranges, unknown sources/plants/units/stations/flows/assets and SQL-looking strings in every option: exit 2 with one line naming the problem, no stack trace, nothing written",
            test: `${TEST} › bad input`,
            scenarios: n("cli"),
            rowsLost: null,
            rowsDuplicated: null,
            secretsLeaked: null,
          },
          {
            claim: "Broken configuration (keys quoted, with whitespace or bad %-encoding, a URL without its key, malformed DATABASE_URL/--db-url): one line naming the variable, exit 2, nothing written; --debug adds the stack trace",
            test: `${TEST} › bad input`,
            scenarios: n("config") + (results.has("--debug") ? 1 : 0),
            rowsLost: null,
            rowsDuplicated: null,
            secretsLeaked: null,
          },
          {
            claim: "A key in the Encoding or Decoding form, encoded twice or with stray whitespace around it: accepted, and the backfill loads every row exactly once",
            test: `${TEST} › key forms`,
            scenarios: keyRuns.length,
            rowsLost: keyRuns.reduce((t, r) => t + r.lost, 0),
            rowsDuplicated: keyRuns.reduce((t, r) => t + r.duplicated, 0),
            secretsLeaked: null,
          },
          {
            claim: `No API key or database password in any stdout/stderr of the ${results.size} runs above`,
            test: `${TEST} › afterAll scan`,
            scenarios: 0,
            rowsLost: null,
            rowsDuplicated: null,
            secretsLeaked: leaked.count,
          },
        ],
        scenarioNames: [...CASES.map((c) => c.name), ...WORKING_KEYS.map((k) => k.name), "--debug shows the stack trace"],
      },
      results.size === CASES.length + WORKING_KEYS.length + 1,
    );
  }
  await sim?.close();
  await db?.drop();
  await okDb?.drop();
});

const limit = pLimit(3);
const run = (args: string[], e: NodeJS.ProcessEnv): Promise<CliResult> =>
  limit(async () => {
    const r = await runCli(args, e);
    outputs.push(r.stdout, r.stderr);
    return r;
  });
const withEnv = (base: NodeJS.ProcessEnv, over: Record<string, string | undefined> = {}) => {
  const e = { ...base, ...over };
  for (const [k, v] of Object.entries(over)) if (v === undefined) delete e[k];
  return e;
};

describe.concurrent("bad input", () => {
  it.for(CASES.map((c) => [c.name, c] as const))("%s", async ([, c], { expect }) => {
    const r = await run(c.args, withEnv(env, c.env));
    const code = c.code ?? 2;
    expect(r.code, r.stderr).toBe(code);
    if (code === 2) {
      // One error line (commands that start the simulators say so on their own lines first).
      const errors = r.stderr.split("\n").filter((l) => /^(pvpipe|error):/.test(l));
      expect(errors, r.stderr).toHaveLength(1);
      expect(errors[0]).toMatch(c.message);
    } else expect(r.stderr.trim()).toBe("");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    results.set(c.name, null);
  });

  it("--debug adds the stack trace to a configuration error", async ({ expect }) => {
    const r = await run(["status", "--debug"], withEnv(env, { DATABASE_URL: "mysql://u:p@h/db" }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/DATABASE_URL must start with postgres/);
    expect(r.stderr).toMatch(/\n\s+at /);
    results.set("--debug", null);
  });
});

describe("bad input wrote nothing", () => {
  it("no run, no row, no materialization, the serving table intact", async () => {
    const [{ runs }] = await db.sql`select count(*)::int as runs from ops.runs`;
    const [{ mats }] = await db.sql`select count(*)::int as mats from ops.materializations`;
    const [{ rows }] = await db.sql`select count(*)::int as rows from nambu_generation`;
    expect({ runs, mats, rows }).toEqual({ runs: 0, mats: 0, rows: 0 });
  });
});

describe.concurrent("key forms", () => {
  it.for(WORKING_KEYS.map((k, i) => [k.name, k, i] as const))("%s: accepted", async ([, k, i], { expect }) => {
    const day = `2024-04-0${i + 1}`;
    const r = await run(["backfill", "--source", "kospo", "--start", day, "--end", day, "--gencd", "9985", "--json"], withEnv(env, { DATABASE_URL: pgUrl(okDb.resource), NAMBU_API_KEY: k.key }));
    expect(r.code, r.stderr).toBe(0);
    const [{ n, distinct }] = await okDb.sql`select count(*)::int as n, count(distinct datetime)::int as distinct from nambu_generation
      where gencd = '9985' and datetime >= ${`${day} 00:00+09`}::timestamptz and datetime < ${`${day} 00:00+09`}::timestamptz + interval '1 day'`;
    results.set(k.name, { lost: 24 - distinct, duplicated: n - distinct });
    expect({ n, distinct }).toEqual({ n: 24, distinct: 24 });
  });
});

