import type { Request, RequestHandler } from 'express';
import type pg from 'pg';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { problem, sendProblem } from './problem';

const WINDOW_SECONDS = 60;

/**
 * Where the counts live. Every instance that shares the store shares the
 * limits: PostgreSQL (the primary every instance already has) or Redis when
 * REDIS_URL is set; in memory only for the embedded database, which one
 * process holds.
 */
export type LimitStore = {
  kind: 'postgres' | 'redis' | 'memory';
  limiter(name: string, perMinute: number): RateLimiterAbstract;
  /** Resolves once the store answers (Redis connects in the background). */
  ready(): Promise<void>;
  close(): Promise<void>;
};

function common(name: string, perMinute: number) {
  return {
    keyPrefix: name,
    points: perMinute,
    duration: WINDOW_SECONDS,
    // A caller already over the limit is refused from memory for the rest of
    // its window: a flood costs the store nothing.
    inMemoryBlockOnConsumed: perMinute + 1,
    inMemoryBlockDuration: WINDOW_SECONDS,
    // The store being away (a database restart) must not turn into 500s:
    // count in this process meanwhile.
    insuranceLimiter: new RateLimiterMemory({ keyPrefix: name, points: perMinute, duration: WINDOW_SECONDS }),
  };
}

export function memoryLimits(): LimitStore {
  return {
    kind: 'memory',
    limiter: (name, perMinute) => new RateLimiterMemory({ keyPrefix: name, points: perMinute, duration: WINDOW_SECONDS }),
    ready: async () => undefined,
    close: async () => undefined,
  };
}

/** The counts in an UNLOGGED table of the primary (migration 20261201120000_rate_limit): fast, and nothing to lose in a crash. */
export function postgresLimits(pool: pg.Pool, prefix = 'counterpoint'): LimitStore {
  return {
    kind: 'postgres',
    ready: async () => undefined,
    limiter: (name, perMinute) =>
      new RateLimiterPostgres({ ...common(`${prefix}:${name}`, perMinute), storeClient: pool, storeType: 'pool', schemaName: 'ratelimit', tableName: 'counts', tableCreated: true }),
    close: async () => undefined,
  };
}

export function redisLimits(url: string, prefix = 'counterpoint'): LimitStore {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
  redis.on('error', () => undefined); // the insurance limiter covers an outage
  return {
    kind: 'redis',
    limiter: (name, perMinute) => new RateLimiterRedis({ ...common(`${prefix}:${name}`, perMinute), storeClient: redis }),
    ready: () => (redis.status === 'ready' ? Promise.resolve() : new Promise((resolve) => redis.once('ready', () => resolve()))),
    close: async () => {
      redis.disconnect();
    },
  };
}

/**
 * A fixed one-minute window per key (`keyOf` the request; undefined skips
 * the limit), with the IETF RateLimit-* headers and 429 plus Retry-After
 * past it.
 */
export function rateLimit(limiter: RateLimiterAbstract | undefined, keyOf: (req: Request) => string | undefined): RequestHandler {
  if (!limiter) return (_req, _res, next) => next();
  return async (req, res, next) => {
    const key = keyOf(req);
    if (key === undefined) return next();
    let outcome: RateLimiterRes;
    let refused = false;
    try {
      outcome = await limiter.consume(key);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      outcome = err;
      refused = true;
    }
    const resetSeconds = Math.max(1, Math.ceil(outcome.msBeforeNext / 1000));
    res.set('RateLimit-Limit', String(limiter.points));
    res.set('RateLimit-Remaining', String(outcome.remainingPoints));
    res.set('RateLimit-Reset', String(resetSeconds));
    if (refused) {
      res.set('Retry-After', String(resetSeconds));
      sendProblem(res, problem(429, 'rate-limited', `More than ${limiter.points} requests in a minute; try again in ${resetSeconds} s`));
      return;
    }
    next();
  };
}

export type RateLimits = { byAddress: RequestHandler; byCaller: RequestHandler };

/**
 * Two limits. Before authentication, every request from an address (so
 * unknown keys, key guessing and /readyz count too); after it, each key on
 * its own, and anonymous callers by address.
 */
export function rateLimits(store: LimitStore, perAddress: number, perCaller: number): RateLimits {
  return {
    byAddress: rateLimit(perAddress > 0 ? store.limiter('address', perAddress) : undefined, (req) => req.ip ?? 'unknown'),
    byCaller: rateLimit(perCaller > 0 ? store.limiter('caller', perCaller) : undefined, (req) => (req.actor ? `actor:${req.actor.id}` : `ip:${req.ip ?? 'unknown'}`)),
  };
}
