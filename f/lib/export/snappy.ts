// Snappy compression (raw format, as Parquet's SNAPPY codec stores pages) into a buffer the caller
// reuses: hyparquet-writer's snappyCompress returns a new, doubling buffer per call, and a Parquet
// export compresses a page per column every few thousand rows, so its garbage was a good part of
// the export's memory. The algorithm is hyparquet-writer's (src/snappy.js), from snappyjs:
// The MIT License (MIT), Copyright (c) 2016 Zhipeng Jia, https://github.com/zhipeng-jia/snappyjs

/** A growable byte buffer: `bytes` holds `length` bytes; `reserve` keeps what was written. */
export class Bytes {
  bytes: Uint8Array;
  length = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
  }

  reserve(more: number): void {
    const need = this.length + more;
    if (need <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(need, Math.ceil(this.bytes.length * 1.5)));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

const MAX_HASH_TABLE_BITS = 14;
const MAX_OFFSET = 0xffff;
const INPUT_MARGIN = 15;
const hashTables: Uint32Array[] = [];

const hashFunc = (key: number, shift: number) => Math.imul(key, 0x1e35a7bd) >>> shift;
const load32 = (a: Uint8Array, p: number) => a[p] | (a[p + 1] << 8) | (a[p + 2] << 16) | (a[p + 3] << 24);
const equals32 = (a: Uint8Array, p1: number, p2: number) => a[p1] === a[p2] && a[p1 + 1] === a[p2 + 1] && a[p1 + 2] === a[p2 + 2] && a[p1 + 3] === a[p2 + 3];

/** The most bytes `input.length` bytes can take compressed (literals only, with their tags). */
export const maxCompressedLength = (n: number) => 32 + n + Math.ceil(n / 6);

/** Append `input` Snappy-compressed to `out`. */
export function snappyCompressInto(out: Bytes, input: Uint8Array): void {
  const inputSize = input.length;
  out.reserve(maxCompressedLength(inputSize));
  const o = out.bytes;
  let op = out.length;

  // uncompressed length, varint
  for (let v = inputSize; ; v >>>= 7) {
    if (v < 0x80) {
      o[op++] = v;
      break;
    }
    o[op++] = (v & 0x7f) | 0x80;
  }

  const literal = (ip: number, len: number) => {
    if (len <= 60) o[op++] = (len - 1) << 2;
    else {
      const value = len - 1;
      const bytes = value < 0x100 ? 1 : value < 0x10000 ? 2 : value < 0x1000000 ? 3 : 4;
      o[op++] = (59 + bytes) << 2;
      for (let i = 0; i < bytes; i++) o[op++] = (value >>> (i * 8)) & 0xff;
    }
    o.set(input.subarray(ip, ip + len), op);
    op += len;
  };
  const copyLessThan64 = (offset: number, len: number) => {
    if (len < 12 && offset < 2048) {
      o[op++] = 1 + ((len - 4) << 2) + ((offset >>> 8) << 5);
      o[op++] = offset & 0xff;
    } else {
      o[op++] = 2 + ((len - 1) << 2);
      o[op++] = offset & 0xff;
      o[op++] = offset >>> 8;
    }
  };
  const copy = (offset: number, len: number) => {
    while (len >= 68) {
      copyLessThan64(offset, 64);
      len -= 64;
    }
    if (len > 64) {
      copyLessThan64(offset, 60);
      len -= 60;
    }
    copyLessThan64(offset, len);
  };

  let hashTableBits = 1;
  while (1 << hashTableBits <= inputSize && hashTableBits <= MAX_HASH_TABLE_BITS) hashTableBits++;
  hashTableBits--;
  const shift = 32 - hashTableBits;
  const table = (hashTables[hashTableBits] ??= new Uint32Array(1 << hashTableBits));
  table.fill(0);

  let ip = 0;
  let nextEmit = 0;
  if (inputSize >= INPUT_MARGIN) {
    const ipLimit = inputSize - INPUT_MARGIN;
    ip++;
    let nextHash = hashFunc(load32(input, ip), shift);
    outer: for (;;) {
      let skip = 32;
      let nextIp = ip;
      let candidate: number;
      do {
        ip = nextIp;
        const hash = nextHash;
        const between = skip >>> 5;
        skip++;
        nextIp = ip + between;
        if (ip > ipLimit) break outer;
        nextHash = hashFunc(load32(input, nextIp), shift);
        candidate = table[hash];
        table[hash] = ip;
      } while (ip - candidate > MAX_OFFSET || !equals32(input, ip, candidate));

      literal(nextEmit, ip - nextEmit);
      do {
        const base = ip;
        let matched = 4;
        while (ip + matched < inputSize && input[ip + matched] === input[candidate + matched]) matched++;
        ip += matched;
        copy(base - candidate, matched);
        nextEmit = ip;
        if (ip >= ipLimit) break outer;
        table[hashFunc(load32(input, ip - 1), shift)] = ip - 1;
        const cur = hashFunc(load32(input, ip), shift);
        candidate = table[cur];
        table[cur] = ip;
      } while (ip - candidate <= MAX_OFFSET && equals32(input, ip, candidate));
      ip++;
      nextHash = hashFunc(load32(input, ip), shift);
    }
  }
  if (nextEmit < inputSize) literal(nextEmit, inputSize - nextEmit);
  out.length = op;
}
