// The UI's browser assets, bundled with esbuild from src/ui/client into src/ui/client/dist (not
// committed): at install time (the postinstall script runs this file) and, if that was skipped or
// the sources changed since, when a UI starts. Nothing is fetched at run time: uPlot and its
// stylesheet come from node_modules into the bundle.
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { build } from "esbuild";

export const CLIENT_DIR = join(import.meta.dirname, "client");
export const DIST_DIR = join(CLIENT_DIR, "dist");
const ENTRIES = ["run_log", "launch_form", "plant_chart"];
const COPIED = ["favicon.svg"];

/** What the bundle is made of: the client sources and the versions of the bundled packages. */
function sourceHash(): string {
  const require = createRequire(import.meta.url);
  const h = createHash("sha256");
  for (const f of readdirSync(CLIENT_DIR).filter((n) => /\.(ts|css|svg)$/.test(n)).sort()) h.update(f).update(readFileSync(join(CLIENT_DIR, f)));
  for (const pkg of ["uplot", "esbuild"]) h.update(pkg).update((JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), "utf8")) as { version: string }).version);
  return h.digest("hex");
}

/** The files a UI serves under /static, by name. */
export function staticFileNames(): string[] {
  return [...ENTRIES.map((e) => `${e}.js`), "ui.css", ...COPIED];
}

/** Bundle unless the bundle in dist/ was made from the same sources. Returns whether it built. */
export async function ensureClientBundle(log: (line: string) => void = () => {}): Promise<boolean> {
  const hash = sourceHash();
  const manifest = join(DIST_DIR, "manifest.json");
  if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { hash?: string }).hash === hash && staticFileNames().every((f) => existsSync(join(DIST_DIR, f)))) return false;
  // Built in a folder of its own and moved into place, so a UI starting meanwhile never reads half a bundle.
  const tmp = `${DIST_DIR}.${process.pid}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  await build({
    entryPoints: [...ENTRIES.map((e) => ({ in: join(CLIENT_DIR, `${e}.ts`), out: e })), { in: join(CLIENT_DIR, "ui.css"), out: "ui" }],
    bundle: true,
    format: "esm",
    target: "es2020",
    minify: true,
    outdir: tmp,
    logLevel: "silent",
    legalComments: "none",
  });
  for (const f of COPIED) copyFileSync(join(CLIENT_DIR, f), join(tmp, f));
  writeFileSync(join(tmp, "manifest.json"), JSON.stringify({ hash, files: staticFileNames() }));
  rmSync(DIST_DIR, { recursive: true, force: true });
  try {
    renameSync(tmp, DIST_DIR);
  } catch (e) {
    // Another process built it at the same moment: theirs is as good.
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(manifest)) throw e;
  }
  log(`UI: bundled the browser assets into ${DIST_DIR}`);
  return true;
}

export interface StaticFile {
  body: Buffer;
  type: string;
}

const TYPES: Record<string, string> = { js: "text/javascript; charset=utf-8", css: "text/css; charset=utf-8", svg: "image/svg+xml" };

/** The bundled files, read once into memory (a few hundred kB). */
export function loadStaticFiles(): Map<string, StaticFile> {
  return new Map(staticFileNames().map((f) => [f, { body: readFileSync(join(DIST_DIR, f)), type: TYPES[f.split(".").pop()!] }]));
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  await ensureClientBundle((l) => process.stdout.write(`${l}\n`));
}
