// postgres.js 3.4.9 sends a transaction's ROLLBACK on a connection the server has already closed
// (porsager/postgres#1208, #1154): the write is scheduled with setImmediate and throws
// "Cannot read properties of null (reading 'write')" at connection.js nextWrite, outside any
// promise, which ended the CLI with that stack trace whenever the server went away mid-transaction
// (its Ctrl-C, a full disk). By then begin() has already rejected the transaction with
// CONNECTION_CLOSED (it races the connection's close), so the stray write is all that is lost.
export function isClosedSocketWrite(e: unknown): boolean {
  if (!(e instanceof TypeError) || !/reading 'write'/.test(e.message)) return false;
  const stack = e.stack ?? "";
  return /nextWrite/.test(stack) && /postgres[\\/]src[\\/]connection\.js/.test(stack);
}
