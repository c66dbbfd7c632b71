// A stub of the few Windmill API endpoints `wmill sync push --dry-run` calls (read from the CLI,
// node_modules/windmill-cli/esm/main.js: push4, downloadZip, requireLogin, fetchRemoteVersion):
// who am I, the workspace's server-specific items and file resource types, the workspace export
// (`workspaces/tarball`, a zip of what the server holds), and the version. It listens on
// 127.0.0.1 only, records every request, and answers anything else 404 — a dry run must not write.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { zipStore } from "./zip_store.ts";

export interface StubRequest {
  method: string;
  path: string;
  authorization?: string;
}

export interface WmillApiStub {
  url: string;
  requests: StubRequest[];
  close(): Promise<void>;
}

const USER = { email: "admin@windmill.dev", username: "admin", is_admin: true, is_super_admin: true, operator: false, groups: [], folders: [] };

/** `exportFiles`: path → content of the workspace export, as workspaces_export.rs writes it. */
export async function startWmillApiStub(workspace: string, exportFiles: Map<string, string>, version = "CE v1.819.0"): Promise<WmillApiStub> {
  const requests: StubRequest[] = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://stub");
      requests.push({ method: req.method ?? "", path: url.pathname, authorization: req.headers.authorization });
      const json = (o: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(o));
      const p = url.pathname;
      const ws = `/api/w/${workspace}`;
      if (req.method !== "GET") return res.writeHead(405).end("read-only stub");
      if (p === "/api/version") return res.writeHead(200, { "content-type": "text/plain" }).end(version);
      if (p === "/api/users/whoami" || p === `${ws}/users/whoami`) return json(USER);
      if (p === "/api/workspaces/users") return json({ email: USER.email, workspaces: [{ id: workspace, name: workspace, username: USER.username }] });
      if (p === `${ws}/workspaces/list_ws_specific`) return json([]);
      if (p === `${ws}/resources/file_resource_type_to_file_ext_map`) return json({});
      if (p === `${ws}/workspaces/tarball` && url.searchParams.get("archive_type") === "zip") {
        return res.writeHead(200, { "content-type": "application/zip" }).end(zipStore(exportFiles));
      }
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    requests,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
