// Preloaded (node --require) into tools the conformance tests run that must work offline, such as
// `wmill lint`: any attempt to reach the network fails loudly and leaves a marker on stderr.
const net = require("node:net");
const dns = require("node:dns");
const MARK = "PVPIPE_NETWORK_ATTEMPT";
const refuse = (what) => {
  process.stderr.write(`${MARK} ${what}\n`);
  throw new Error(`network disabled in the conformance test (${what})`);
};
globalThis.fetch = async (input) => refuse(`fetch ${String(input && input.url ? input.url : input)}`);
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const o = args[0];
  if (o && typeof o === "object" && o.path) return connect.apply(this, args); // unix sockets (IPC) are fine
  return refuse(`connect ${JSON.stringify(o && typeof o === "object" ? { host: o.host, port: o.port } : args.slice(0, 2))}`);
};
dns.lookup = (host) => refuse(`dns ${host}`);
