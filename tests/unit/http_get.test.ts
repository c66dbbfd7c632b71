import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpGetText } from "../../f/lib/sources/datagokr/http_get.ts";

// What the data.go.kr transport relies on from fetch, kept by its node:http replacement.
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/moved") return res.writeHead(302, { location: "/bom" }).end();
    if (req.url === "/bom") return res.writeHead(200, { "content-type": "text/xml" }).end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("<a>한국</a>"), Buffer.from([0xff])]));
    if (req.url === "/busy") return res.writeHead(429, { "retry-after": "7" }).end("busy");
    if (req.url === "/cut") return res.writeHead(200, { "content-length": "100" }).write("part", () => res.destroy());
    // /hang: never answers
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe("httpGetText", () => {
  it("follows redirects and decodes the body as UTF-8, a BOM dropped and bad bytes replaced", async () => {
    expect(await httpGetText(`${base}/moved`, new AbortController().signal)).toEqual({ status: 200, retryAfter: null, body: "<a>한국</a>\uFFFD" });
  });
  it("returns any status with its Retry-After", async () => {
    expect(await httpGetText(`${base}/busy`, new AbortController().signal)).toEqual({ status: 429, retryAfter: "7", body: "busy" });
  });
  it("fails on a body cut short, with the network error as its cause", async () => {
    const e = await httpGetText(`${base}/cut`, new AbortController().signal).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).message).toBe("request failed");
    expect((e as Error).cause).toBeInstanceOf(Error);
  });
  it("rejects with the signal's reason when it fires", async () => {
    const ac = new AbortController();
    const reason = new DOMException("The operation timed out", "TimeoutError");
    setTimeout(() => ac.abort(reason), 50);
    await expect(httpGetText(`${base}/hang`, ac.signal)).rejects.toBe(reason);
  });
});
