// Throw-away PKI for the TLS tests: root → intermediate → leaf (127.0.0.1), made with openssl in a
// temporary directory; nothing is written to the project.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestChain {
  rootPem: string;
  intermediatePem: string;
  leafPem: string;
  leafKey: string;
}

export async function makeTestChain(): Promise<TestChain> {
  const dir = mkdtempSync(join(tmpdir(), "koen-pki-"));
  const p = (f: string) => join(dir, f);
  const ssl = (...args: string[]) => execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
  try {
    ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", p("root.key"), "-out", p("root.pem"), "-days", "2",
      "-subj", "/CN=pvpipe test root", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", p("int.key"), "-out", p("int.csr"), "-subj", "/CN=pvpipe test intermediate");
    writeFileSync(p("int.ext"), "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n");
    ssl("x509", "-req", "-in", p("int.csr"), "-CA", p("root.pem"), "-CAkey", p("root.key"), "-CAcreateserial", "-out", p("int.pem"), "-days", "2", "-extfile", p("int.ext"));
    ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", p("leaf.key"), "-out", p("leaf.csr"), "-subj", "/CN=127.0.0.1");
    writeFileSync(p("leaf.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
    ssl("x509", "-req", "-in", p("leaf.csr"), "-CA", p("int.pem"), "-CAkey", p("int.key"), "-CAcreateserial", "-out", p("leaf.pem"), "-days", "2", "-extfile", p("leaf.ext"));
    const read = (f: string) => readFileSync(p(f), "utf8");
    return { rootPem: read("root.pem"), intermediatePem: read("int.pem"), leafPem: read("leaf.pem"), leafKey: read("leaf.key") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
