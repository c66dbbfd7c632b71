import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/engine.ts";
import { koenSimCsv, startKoenSim, type KoenSim } from "../../src/simulators/koen.ts";
import { makeTestChain, type TestChain } from "../helpers/test_chain.ts";
import { createHash } from "node:crypto";

// Windmill CE runs the steps with Bun: the KOEN client (node:https agent with a per-host CA) must
// behave the same there. Bun comes from the devDependencies.
const BUN = join(ROOT, "node_modules", ".bin", "bun");

let http: KoenSim;
let httpsSim: KoenSim;
let chain: TestChain;
beforeAll(async () => {
  chain = await makeTestChain();
  http = await startKoenSim({ today: "2025-07-20" });
  httpsSim = await startKoenSim({ today: "2025-07-20", tls: { key: chain.leafKey, cert: chain.leafPem } });
});
afterAll(async () => {
  await http?.close();
  await httpsSim?.close();
});

function runBun(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(BUN, [join(ROOT, "tests/fixtures/koen/bun_client.ts")], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("KOEN client under Bun", { timeout: 180_000 }, () => {
  it.skipIf(!existsSync(BUN))("downloads and reads CP949, and trusts the intermediate for that host only, as under Node", async () => {
    const r = await runBun({ KOEN_HTTP_URL: http.url, KOEN_HTTPS_URL: httpsSim.url, ROOT_PEM: chain.rootPem, INT_PEM: chain.intermediatePem });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
    expect(out.runtime).toBe("bun");
    const body = koenSimCsv({ start: "2025-06-01", end: "2025-06-30", orgNo: "", hokiS: "", hokiE: "" }, { today: "2025-07-20" });
    expect(out.http).toEqual({ rows: 23 * 30, first: "광양항세방태양광", sha256: createHash("sha256").update(body).digest("hex") });
    expect(out.tlsDefault).toMatch(/^TlsVerificationFailed: .*(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT)/);
    expect(out.tlsRootOnly).toMatch(/^TlsVerificationFailed/);
    expect(out.tlsWithIntermediate).toBe("ok 200");
  });
});
