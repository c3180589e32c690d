/** Small deterministic PRNGs: the same seed gives the same stream on every platform (32-bit integer math only). */

/** A 32-bit integer mix (the finalizer of MurmurHash3): spreads nearby inputs over the whole range. */
export function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A seed for position `index` of the stream seeded with `seed`: lets any event be generated on its own. */
export function seedAt(seed: number, index: number): number {
  return mix32(mix32(seed ^ 0x9e3779b9) + Math.imul(index, 0x27d4eb2d));
}

/** Hashes a string to 32 bits (FNV-1a), for deriving stable ids and hashes from names. */
export function hashString(text: string, salt = 0): number {
  let h = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** mulberry32: tiny, fast, good enough for synthetic data and fault draws. */
export class Rng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** The next 32-bit unsigned integer. */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) | 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A float in [0, 1). */
  float(): number {
    return this.next() / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** Re-seeds in place, so one instance can serve every event without allocating. */
  reseed(seed: number): void {
    this.#state = seed >>> 0;
  }
}

/** `length` lowercase hex digits derived from `text` (stable fake hashes: md5 32, sha1 40, sha256 64). */
export function fakeHex(text: string, length: number): string {
  let out = '';
  let salt = 0;
  while (out.length < length) {
    out += hashString(text, salt++).toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}

/** A decimal id string of `digits` digits like the console's 19-digit ids, derived from `text`. */
export function fakeDecimalId(text: string, digits = 19): string {
  let out = String(1 + (hashString(text, 7) % 9));
  let salt = 11;
  while (out.length < digits) out += String(hashString(text, salt++)).padStart(10, '0');
  return out.slice(0, digits);
}
