// The one server endpoint a Bun worker's bundler calls: a deployed script's content by path
// (`GET /api/w/{workspace}/scripts/raw_unpinned/p/{path}.ts`, windmill-api-scripts scripts.rs:
// raw_script_by_path_unpinned). It serves the files `wmill sync push` deploys (f/**/*.ts, the path
// being the file name before its first dot), on 127.0.0.1 only, and records what was asked.
import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

export interface RawScriptServer {
  url: string;
  /** Windmill paths served (f/lib/db/resource), in request order. */
  served: string[];
  missing: string[];
  close(): Promise<void>;
}

export async function startRawScriptServer(root: string, workspace: string): Promise<RawScriptServer> {
  const served: string[] = [];
  const missing: string[] = [];
  const prefix = `/api/w/${workspace}/scripts/raw_unpinned/p/`;
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://stub").pathname);
    if (req.method !== "GET" || !path.startsWith(prefix) || !path.endsWith(".ts")) return res.writeHead(400).end("bad request");
    // The server strips the extension and looks the script up by its path.
    const scriptPath = path.slice(prefix.length, -".ts".length);
    const file = join(root, `${scriptPath}.ts`);
    if (!/^f\/[\w/-]+$/.test(scriptPath) || !existsSync(file)) {
      missing.push(scriptPath);
      return res.writeHead(404).end(`Script ${scriptPath} not found`);
    }
    served.push(scriptPath);
    res.writeHead(200, { "content-type": "text/plain" }).end(readFileSync(file, "utf8"));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    missing,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
