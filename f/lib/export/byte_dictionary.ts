// Distinct byte strings numbered in order of first sight, looked up straight from the bytes of a
// COPY row (no string per value): the Parquet text dictionaries and the manifest's fill-method
// counts. One byte pool and an open-addressing table, both reused after clear().
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export class ByteDictionary {
  size = 0;
  /** Entry i is pool[offsets[i], offsets[i + 1]). */
  private pool = new Uint8Array(1024);
  private offsets: Int32Array = new Int32Array(65);
  private hashes: Int32Array = new Int32Array(64);
  /** Entry index + 1 per slot, 0 = empty; at most half full. */
  private slots = new Int32Array(128);
  /** The entry found last: names, grades and methods repeat row after row. */
  private last = -1;

  /** The index of src[s, e), added if new. */
  indexOf(src: Uint8Array, s: number, e: number): number {
    if (this.last >= 0 && this.equals(this.last, src, s, e)) return this.last;
    let h = FNV_OFFSET;
    for (let p = s; p < e; p++) h = Math.imul(h ^ src[p], FNV_PRIME);
    const mask = this.slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const at = this.slots[slot];
      if (at === 0) {
        const i = this.add(src, s, e, h);
        this.slots[slot] = i + 1;
        if (this.size * 2 > this.slots.length) this.rehash();
        return (this.last = i);
      }
      if (this.hashes[at - 1] === h && this.equals(at - 1, src, s, e)) return (this.last = at - 1);
    }
  }

  /** Entry i's bytes (a view into the pool: valid until the next add or clear). */
  bytes(i: number): Uint8Array {
    return this.pool.subarray(this.offsets[i], this.offsets[i + 1]);
  }

  clear(): void {
    if (this.size) this.slots.fill(0);
    this.size = 0;
    this.last = -1;
  }

  private equals(i: number, src: Uint8Array, s: number, e: number): boolean {
    const from = this.offsets[i];
    if (this.offsets[i + 1] - from !== e - s) return false;
    for (let p = s, q = from; p < e; p++, q++) if (src[p] !== this.pool[q]) return false;
    return true;
  }

  private add(src: Uint8Array, s: number, e: number, h: number): number {
    const i = this.size++;
    if (this.size >= this.hashes.length) {
      this.offsets = grow(this.offsets, this.offsets.length * 2);
      this.hashes = grow(this.hashes, this.hashes.length * 2);
    }
    const from = this.offsets[i];
    if (from + (e - s) > this.pool.length) {
      const pool = new Uint8Array(Math.max(this.pool.length * 2, from + (e - s)));
      pool.set(this.pool.subarray(0, from));
      this.pool = pool;
    }
    for (let p = s, q = from; p < e; p++, q++) this.pool[q] = src[p];
    this.offsets[i + 1] = from + (e - s);
    this.hashes[i] = h;
    return i;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    for (let i = 0; i < this.size; i++) {
      let slot = this.hashes[i] & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = i + 1;
    }
  }
}

function grow(a: Int32Array, size: number): Int32Array {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}
