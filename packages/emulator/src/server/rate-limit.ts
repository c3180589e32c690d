/**
 * Token buckets per token and endpoint, like the console's limits: init-query 1 per minute, query-status 1 per
 * second (shared by all of a token's queries), and a generous default for the rest.
 */
import type { EndpointId } from './endpoints.ts';

export interface BucketRule {
  /** Calls allowed in a burst. */
  readonly capacity: number;
  /** Time to refill the whole capacity. */
  readonly windowMs: number;
}

/** The real limits (design/DV-API.md); the default for other endpoints is ours: 10 calls per second. */
export const REAL_LIMITS: Readonly<Record<EndpointId, BucketRule>> = {
  'init-query': { capacity: 1, windowMs: 60_000 },
  'query-status': { capacity: 1, windowMs: 1000 },
  events: { capacity: 10, windowMs: 1000 },
  'cancel-query': { capacity: 10, windowMs: 1000 },
  'api-token-details': { capacity: 10, windowMs: 1000 },
  'system-status': { capacity: 10, windowMs: 1000 },
};

/** `'real'`, `'off'`, or the real limits with every window divided by `scale` (60 ⇒ init-query 1 per second). */
export type RateLimitOption = 'real' | 'off' | { readonly scale: number };

interface Bucket {
  tokens: number;
  at: number;
}

export type TakeResult = { readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number };

export class RateLimiter {
  readonly #rules: Readonly<Record<EndpointId, BucketRule>> | null;
  readonly #buckets = new Map<string, Bucket>();

  constructor(option: RateLimitOption) {
    if (option === 'off') this.#rules = null;
    else {
      const scale = option === 'real' ? 1 : option.scale;
      if (!(scale > 0)) throw new RangeError('rateLimits.scale must be a positive number');
      const rules = {} as Record<EndpointId, BucketRule>;
      for (const [id, rule] of Object.entries(REAL_LIMITS) as [EndpointId, BucketRule][]) {
        rules[id] = { capacity: rule.capacity, windowMs: rule.windowMs / scale };
      }
      this.#rules = rules;
    }
  }

  rule(endpoint: EndpointId): BucketRule | null {
    return this.#rules?.[endpoint] ?? null;
  }

  /** Takes one call from the bucket; a refused call takes nothing. */
  take(tokenKey: string, endpoint: EndpointId, now: number): TakeResult {
    const rule = this.rule(endpoint);
    if (!rule) return { ok: true };
    const key = `${tokenKey}\u0000${endpoint}`;
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = { tokens: rule.capacity, at: now };
      this.#buckets.set(key, bucket);
    }
    const rate = rule.capacity / rule.windowMs; // tokens per ms
    bucket.tokens = Math.min(rule.capacity, bucket.tokens + (now - bucket.at) * rate);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: Math.ceil((1 - bucket.tokens) / rate) };
  }
}
