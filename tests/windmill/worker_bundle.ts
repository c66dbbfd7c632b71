// Bundles steps the way a Windmill CE Bun worker does before running a script that has a lock
// (bun_executor.rs: build_loader with LoaderMode::BunBundle, generate_bun_bundle): Bun.build of the
// script's main.ts for target bun, npm packages from the job directory's locked install, and every
// relative import fetched from the server by path (scripts/raw_unpinned/p/<path>.ts), resolved
// against the importing script's Windmill path. Written here from that behaviour, not copied.
// Usage: bun tests/windmill/worker_bundle.ts <spec.json>
//   spec.json: {"baseUrl", "workspace", "jobs": [{"scriptPath": "f/pv/plan", "dir": "/tmp/…/plan"}]}
//   each dir holds main.ts and node_modules; this writes main.js and inputs.json (the Windmill
//   paths the bundle was built from).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, posix, relative } from "node:path";

// The part of Bun's bundler API used here (no @types/bun in this repository).
interface ResolveArgs {
  path: string;
  importer: string;
}
interface PluginBuilder {
  onResolve(o: { filter: RegExp }, cb: (a: ResolveArgs) => { path: string } | undefined): void;
  onLoad(o: { filter: RegExp }, cb: (a: { path: string }) => Promise<{ contents: string; loader: "tsx" }>): void;
}
interface BunPlugin {
  name: string;
  setup(build: PluginBuilder): void;
}
declare const Bun: {
  build(o: {
    entrypoints: string[];
    outdir: string;
    target: "bun";
    plugins: BunPlugin[];
    external: string[];
    minify: { identifiers: boolean; syntax: boolean; whitespace: boolean };
  }): Promise<{ success: boolean; logs: unknown[] }>;
};

interface Spec {
  baseUrl: string;
  workspace: string;
  jobs: { scriptPath: string; dir: string }[];
}

const FETCHED = ".fetched.ts";
const spec = JSON.parse(readFileSync(process.argv[2], "utf8")) as Spec;

for (const job of spec.jobs) {
  const main = join(job.dir, "main.ts");
  const inputs = new Set([job.scriptPath]);
  const windmillPathOf = (importer: string) => (importer === main ? job.scriptPath : relative(job.dir, importer).slice(0, -FETCHED.length));
  const plugin: BunPlugin = {
    name: "windmill-relative-imports",
    setup(build) {
      // Relative and /f/ imports of the script and of the files fetched for it; npm packages'
      // own relative imports resolve normally.
      build.onResolve({ filter: /^(\.\.?\/|\/f\/)/ }, (args) => {
        if (args.importer.includes("/node_modules/")) return undefined;
        const from = windmillPathOf(args.importer);
        const target = args.path.startsWith("/") ? args.path.slice(1) : posix.join(posix.dirname(from), args.path);
        const path = target.replace(/\.ts$/, "");
        // A file in the job directory, so the fetched code resolves npm packages from its node_modules.
        const file = join(job.dir, `${path}${FETCHED}`);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, "");
        return { path: file };
      });
      build.onLoad({ filter: /\.fetched\.ts$/ }, async (args) => {
        const path = windmillPathOf(args.path);
        const res = await fetch(`${spec.baseUrl}/api/w/${spec.workspace}/scripts/raw_unpinned/p/${path}.ts`);
        if (!res.ok) throw new Error(`Failed to find relative import ${path} (HTTP ${res.status})`);
        inputs.add(path);
        return { contents: await res.text(), loader: "tsx" };
      });
    },
  };
  const out = await Bun.build({
    entrypoints: [main],
    outdir: job.dir,
    target: "bun",
    plugins: [plugin],
    external: ["electron"],
    minify: { identifiers: false, syntax: true, whitespace: false },
  });
  if (!out.success) {
    console.error(`bundling ${job.scriptPath} failed:`, ...out.logs);
    process.exit(1);
  }
  writeFileSync(join(job.dir, "inputs.json"), JSON.stringify([...inputs].sort()));
}
