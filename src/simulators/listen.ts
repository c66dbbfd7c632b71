// Start a simulator's HTTP(S) server on a free loopback port; a handler that throws answers 500
// "simulator bug" (never a silent hang). close() also drops kept-alive connections.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";

export async function listenSim(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  tls?: { key: string; cert: string },
): Promise<{ origin: string; close: () => Promise<void> }> {
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((e) => res.writeHead(500, { "content-type": "text/plain" }).end(`simulator bug: ${String(e)}`));
  };
  const server: Server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, listener) : createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}
