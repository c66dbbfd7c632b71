// Preloaded (node --require) into tools the conformance tests run that must work offline, such as
// `wmill lint`: any attempt to reach the network fails loudly and leaves a marker on stderr.
// With PVPIPE_ALLOW_LOOPBACK=1, connections to 127.0.0.1 (a local API stub) are let through.
const net = require("node:net");
const dns = require("node:dns");
const MARK = "PVPIPE_NETWORK_ATTEMPT";
const refuse = (what) => {
  process.stderr.write(`${MARK} ${what}\n`);
  throw new Error(`network disabled in the conformance test (${what})`);
};
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = String(input && input.url ? input.url : input);
  if (process.env.PVPIPE_ALLOW_LOOPBACK === "1" && new URL(url).hostname === "127.0.0.1") return realFetch(input, init);
  return refuse(`fetch ${url}`);
};
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  // net.connect passes its normalized arguments as one array: [options, callback].
  const o = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (o && typeof o === "object" && o.path) return connect.apply(this, args); // unix sockets (IPC) are fine
  if (process.env.PVPIPE_ALLOW_LOOPBACK === "1" && o && typeof o === "object" && o.host === "127.0.0.1") return connect.apply(this, args);
  return refuse(`connect ${JSON.stringify(o && typeof o === "object" ? { host: o.host, port: o.port } : args.slice(0, 2))}`);
};
dns.lookup = (host) => refuse(`dns ${host}`);
