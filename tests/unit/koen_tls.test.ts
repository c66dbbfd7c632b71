import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import tls from "node:tls";
import { describe, expect, it } from "vitest";
import { TURINGSIGN_RSA_SECURE_CA_2_PEM } from "../../f/lib/sources/koen/ca_gen.ts";
import { defaultExtraCa, isKoenHost, trustStore } from "../../f/lib/sources/koen/tls.ts";
import { renderKoenCaModule } from "../../src/codegen/certs.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const PEM_FILE = join(ROOT, "certs", "turingsign-rsa-secure-ca-2.pem");
const FINGERPRINT = "A6:F9:C9:67:EB:8A:A9:28:3A:1C:A6:49:B8:7B:76:47:20:E9:F5:C3:AF:A8:1C:15:06:76:F4:CA:36:E9:8C:F6";

describe("the shipped KOEN intermediate certificate (DOMAIN §15)", () => {
  const cert = new X509Certificate(readFileSync(PEM_FILE));

  it("is TuringSign RSA Secure CA 2, issued by OISTE WISeKey Global Root GB CA, with the published fingerprint", () => {
    expect(cert.subject.split("\n")).toEqual(["C=CH", "O=TuringSign Global SA", "CN=TuringSign RSA Secure CA 2"]);
    expect(cert.issuer).toContain("CN=OISTE WISeKey Global Root GB CA");
    expect(cert.fingerprint256).toBe(FINGERPRINT);
    expect(cert.ca).toBe(true);
  });

  it("is valid for at least 90 more days (replace it before then: certs/README.md)", () => {
    const left = (Date.parse(cert.validTo) - Date.now()) / 86_400_000;
    expect(left, `the intermediate expires ${cert.validTo}`).toBeGreaterThanOrEqual(90);
    expect(Date.parse(cert.validFrom)).toBeLessThan(Date.now());
  });

  it("chains to a root in the runtime's trust store (signature checked), so root + intermediate completes the chain", () => {
    const roots = tls.rootCertificates.map((p) => new X509Certificate(p)).filter((r) => r.subject.includes("CN=OISTE WISeKey Global Root GB CA"));
    expect(roots).toHaveLength(1);
    expect(cert.checkIssued(roots[0])).toBe(true);
    expect(cert.verify(roots[0].publicKey)).toBe(true);
  });

  it("is embedded unchanged in the generated module Windmill deploys, and that module is up to date", () => {
    expect(new X509Certificate(TURINGSIGN_RSA_SECURE_CA_2_PEM).fingerprint256).toBe(FINGERPRINT);
    expect(readFileSync(join(ROOT, "f/lib/sources/koen/ca_gen.ts"), "utf8")).toBe(renderKoenCaModule(ROOT));
  });

  it("is added for the KOEN host only, on top of the system roots", () => {
    expect(isKoenHost("www.koenergy.kr")).toBe(true);
    expect(isKoenHost("koenergy.kr")).toBe(true);
    expect(isKoenHost("WWW.KOENERGY.KR.")).toBe(true);
    expect(isKoenHost("evil-koenergy.kr")).toBe(false);
    expect(isKoenHost("koenergy.kr.example.com")).toBe(false);
    expect(isKoenHost("127.0.0.1")).toBe(false);
    expect(defaultExtraCa("www.koenergy.kr")).toEqual([TURINGSIGN_RSA_SECURE_CA_2_PEM]);
    expect(defaultExtraCa("apis.data.go.kr")).toEqual([]);
    const store = trustStore({ hostname: "www.koenergy.kr" });
    expect(store.ca).toContain(TURINGSIGN_RSA_SECURE_CA_2_PEM);
    expect(store.ca.length).toBeGreaterThanOrEqual(tls.rootCertificates.length + 1);
    expect(trustStore({ hostname: "127.0.0.1" }).ca).not.toContain(TURINGSIGN_RSA_SECURE_CA_2_PEM);
    // The process-wide store is untouched.
    expect(tls.rootCertificates).not.toContain(TURINGSIGN_RSA_SECURE_CA_2_PEM);
  });
});
