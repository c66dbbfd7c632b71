// certs/*.pem → f/lib/sources/koen/ca_gen.ts: the intermediate certificate koenergy.kr omits from
// its TLS handshake (DOMAIN §2.2, §15), as code, because a Windmill worker only has the deployed
// scripts. certs/README.md says where the PEM comes from.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export function renderKoenCaModule(root: string): string {
  const pem = readFileSync(join(root, "certs", "turingsign-rsa-secure-ca-2.pem"), "utf8").replace(/\r\n/g, "\n").trim() + "\n";
  if (!/^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/.test(pem)) {
    throw new Error("certs/turingsign-rsa-secure-ca-2.pem is not a single PEM certificate");
  }
  return [
    "// Generated from certs/turingsign-rsa-secure-ca-2.pem by `npm run wmill:gen`. Do not edit.",
    "// CN=TuringSign RSA Secure CA 2 (issuer: OISTE WISeKey Global Root GB CA), from the AIA URL",
    "// http://public.wisekey.com/crt/tsrsasecureca2.cer; see certs/README.md.",
    `export const TURINGSIGN_RSA_SECURE_CA_2_PEM = ${JSON.stringify(pem)};`,
    "",
  ].join("\n");
}
