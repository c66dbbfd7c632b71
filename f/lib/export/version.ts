// pvpipe's version as the manifest records it; equal to package.json's (tests/unit/export_version.test.ts).
// A constant rather than a read of package.json, which Windmill workers do not have.
export const PVPIPE_VERSION = "0.1.0";
