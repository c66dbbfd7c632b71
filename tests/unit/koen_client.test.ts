import https from "node:https";
import iconv from "iconv-lite";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { KOEN_UNITS } from "../../f/lib/reference/plants_gen.ts";
import { BadPayload, SourceReturnedHtml, SourceUnavailable, TlsVerificationFailed } from "../../f/lib/sources/errors.ts";
import { createKoenClient, type KoenClient, type KoenClientOptions } from "../../f/lib/sources/koen/client.ts";
import { readKoenCsv } from "../../f/lib/sources/koen/csv.ts";
import { koenSimValue, startKoenSim, type KoenSim, type KoenSimOptions } from "../../src/simulators/koen.ts";
import { makeTestChain, type TestChain } from "../helpers/test_chain.ts";

const TODAY = "2025-07-20";
const JUNE = { start: "2025-06-01", end: "2025-06-30" };
const KNOWN = new Set(KOEN_UNITS.map((u) => u.plant_name));
const sims: KoenSim[] = [];
const clients: KoenClient[] = [];
afterEach(async () => {
  clients.splice(0).forEach((c) => c.close());
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

async function sim(opts: KoenSimOptions = {}): Promise<KoenSim> {
  const s = await startKoenSim({ today: TODAY, ...opts });
  sims.push(s);
  return s;
}
function client(baseUrl: string, opts: Partial<KoenClientOptions> = {}): KoenClient {
  const c = createKoenClient({ baseUrl, retryBaseDelayMs: 1, ...opts });
  clients.push(c);
  return c;
}
const read = (d: { body: Buffer; contentType: string | null; status: number }) =>
  readKoenCsv(d.body, { contentType: d.contentType, status: d.status, request: "csvDown.do", window: JUNE, known: KNOWN });

describe("KOEN client against the simulator", () => {
  it("opens a session, then POSTs the form with the JSESSIONID cookie, Referer and Origin; keeps the exact bytes", async () => {
    const s = await sim();
    const d = await client(s.url).download(JUNE);
    expect(s.log.map((l) => `${l.method} ${l.path} ${l.answer}`)).toEqual([
      "GET /kosep/gv/nf/dt/nfdt21/main.do session",
      "POST /kosep/gv/nf/dt/nfdt21/csvDown.do csv",
    ]);
    const [get, post] = s.log;
    expect(get.query).toEqual({ pageIndex: "1", menuCd: "FN0912020217", xmlText: "", strOrgNo: "", strHokiS: "", strHokiE: "", strDateS: "20250601", strDateE: "20250630" });
    expect(post.form).toEqual({ ...get.query, ptSignature: "" });
    expect(post.cookie).toMatch(/^JSESSIONID=[0-9A-F]{32}$/);
    expect(post.referer).toBe(`${s.url}/kosep/gv/nf/dt/nfdt21/main.do?pageIndex=1&menuCd=FN0912020217&xmlText=&strOrgNo=&strHokiS=&strHokiE=&strDateS=20250601&strDateE=20250630`);
    expect(post.origin).toBe(s.url);
    expect(post.contentType).toBe("application/x-www-form-urlencoded");
    // The body is CP949 with a space after every comma; the client keeps it byte for byte.
    expect(d.body.toString("utf8")).toContain("\uFFFD");
    expect(iconv.decode(d.body, "cp949").split("\r\n")[1]).toMatch(/^광양항세방태양광, 1, 2025-06-01, 0, /);
    expect(d.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(d.request).toMatchObject({ method: "POST", form: post.form, cookies: ["JSESSIONID"], attempts: 1, tls: null });
    expect(JSON.stringify(d.request)).not.toMatch(/JSESSIONID=/); // no cookie values stored
    const csv = read(d);
    expect(csv.rows).toHaveLength(23 * 30);
    expect(csv.rows.find((r) => r.plantName === "영흥태양광 #3" && r.hogi === 2 && r.date === "2025-06-21")!.hours).toEqual(koenSimValue("영흥태양광 #3", 2, "2025-06-21"));
  });

  it("the simulator enforces the cookie and the Referer: without them the site answers an HTML page with HTTP 200", async () => {
    const s = await sim({ setCookie: false });
    const d = await client(s.url, { warn: () => {} }).download(JUNE);
    expect(s.log.at(-1)!.answer).toBe("html-session");
    expect(d.status).toBe(200);
    expect(() => read(d)).toThrow(SourceReturnedHtml);

    const ok = await sim();
    await client(ok.url).download(JUNE); // a session exists now
    const sessionCookie = ok.log.at(-1)!.cookie!;
    const noReferer = await fetch(`${ok.url}/kosep/gv/nf/dt/nfdt21/csvDown.do`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: sessionCookie },
      body: new URLSearchParams({ menuCd: "FN0912020217", strDateS: "20250601", strDateE: "20250630" }).toString(),
    });
    expect(noReferer.status).toBe(200);
    expect(await noReferer.text()).toMatch(/<!DOCTYPE html>/);
    expect(ok.log.at(-1)!.answer).toBe("html-referer");
  });

  it("HTML maintenance pages and tiny error bodies come back as bodies (HTTP 200) and are rejected by the reader", async () => {
    const s = await sim({ htmlFor: (q) => q.start === "2025-06-01", tinyFor: (q) => q.start === "2025-05-01" });
    const c = client(s.url);
    const html = await c.download(JUNE);
    expect(() => read(html)).toThrow(SourceReturnedHtml);
    const tiny = await c.download({ start: "2025-05-01", end: "2025-05-31" });
    expect(() => read(tiny)).toThrow(BadPayload);
    expect(() => read(tiny)).toThrow(/only \d+ bytes/);
    expect(c.stats().retries).toBe(0); // never retried: repeating cannot change them
  });

  it("retries HTTP 500/502/503 and dropped connections with backoff, then succeeds", async () => {
    const s = await sim({ failFirst: 4 });
    const c = client(s.url, { retries: 4 });
    const d = await c.download(JUNE);
    expect(read(d).rows).toHaveLength(23 * 30);
    expect(c.stats().retries).toBe(4);
    expect(s.log.filter((l) => l.method === "POST").map((l) => l.answer)).toEqual(["fault-500", "fault-502", "fault-503", "fault-drop", "csv"]);
    expect(d.request.attempts).toBe(5);
    // Random faults too: every download eventually gets through.
    const flaky = await sim({ faultRate: 0.5, seed: 3 });
    const fc = client(flaky.url, { retries: 10 });
    for (const m of ["2025-03", "2025-04", "2025-05", "2025-06"]) expect((await fc.download({ start: `${m}-01`, end: `${m}-28` })).status).toBe(200);
    expect(flaky.log.some((l) => l.answer.startsWith("fault-"))).toBe(true);
  });

  it("gives up after the retries with SourceUnavailable naming the month", async () => {
    const s = await sim({ faultRate: 1 });
    const c = client(s.url, { retries: 2 });
    await expect(c.download(JUNE)).rejects.toThrow(SourceUnavailable);
    await expect(client(s.url, { retries: 1 }).download(JUNE)).rejects.toThrow(/csvDown\.do strDateS=20250601 strDateE=20250630.*still failing after 2 attempts/);
    expect(c.stats().requests).toBe(6); // 3 attempts × (session + download)
  });

  it("a slow site times out (and is retried) instead of hanging", async () => {
    const s = await sim({ latencyMs: 400 });
    const c = client(s.url, { sessionTimeoutMs: 100, downloadTimeoutMs: 100, retries: 1 });
    await expect(c.download(JUNE)).rejects.toThrow(/no answer within 100 ms, still failing after 2 attempts/);
    const patient = client(s.url, { sessionTimeoutMs: 5000, downloadTimeoutMs: 5000 });
    expect((await patient.download(JUNE)).status).toBe(200);
  });
});

describe("KOEN client TLS: a server that omits its intermediate certificate", () => {
  let chain: TestChain;
  beforeAll(async () => {
    chain = await makeTestChain(); // throw-away root → intermediate → leaf, never written to the project
  });
  const httpsSim = () => sim({ tls: { key: chain.leafKey, cert: chain.leafPem } }); // serves the leaf only

  it("fails verification with the default trust store", async () => {
    const s = await httpsSim();
    const err = await client(s.url).download(JUNE).catch((e) => e);
    expect(err).toBeInstanceOf(TlsVerificationFailed);
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT/);
    expect(s.log).toHaveLength(0); // no HTTP exchange happened
  });

  it("fails with the right root but without the intermediate, and passes once the intermediate is added for the host", async () => {
    const s = await httpsSim();
    await expect(client(s.url, { trustedRoots: [chain.rootPem] }).download(JUNE)).rejects.toThrow(TlsVerificationFailed);
    const c = client(s.url, { trustedRoots: [chain.rootPem], extraCa: [chain.intermediatePem] });
    const d = await c.download(JUNE);
    expect(read(d).rows).toHaveLength(23 * 30);
    expect(d.request.tls).toEqual({ insecure: false, extra_ca: [expect.objectContaining({ subject: "CN=pvpipe test intermediate" })] });
    // Only that client's agent trusts it: the process-wide agent still rejects the server.
    const global = await new Promise<string>((resolve) => {
      https.get(`${s.url}/kosep/gv/nf/dt/nfdt21/main.do`, (r) => resolve(`status ${r.statusCode}`)).on("error", (e: Error & { code?: string }) => resolve(e.code ?? e.message));
    });
    expect(global).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|SELF_SIGNED/);
  });

  it("the intermediate alone is not enough without its root: verification is real", async () => {
    const s = await httpsSim();
    await expect(client(s.url, { extraCa: [chain.intermediatePem] }).download(JUNE)).rejects.toThrow(/UNABLE_TO_GET_ISSUER_CERT/);
  });

  it("KOEN_TLS_INSECURE (tlsInsecure) skips verification, warns on creation and on every download, and says so in the request record", async () => {
    const s = await httpsSim();
    const warn = vi.fn();
    const c = client(s.url, { tlsInsecure: true, warn });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(/KOEN_TLS_INSECURE=1: TLS certificate verification for 127\.0\.0\.1 is DISABLED/);
    const d = await c.download(JUNE);
    await c.download({ start: "2025-05-01", end: "2025-05-31" });
    expect(warn).toHaveBeenCalledTimes(3);
    expect(d.request.tls).toEqual({ insecure: true, extra_ca: [] });
  });
});
