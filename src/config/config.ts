import { z } from 'zod';

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DATA_DIR: z.string().min(1).default('.data/pglite'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DATABASE_POOL_WAIT_MS: z.coerce.number().int().min(100).max(60_000).default(3000),
  STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  LOCK_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(3000),
  ADMIN_API_KEY: z
    .string()
    .min(24, 'must be at least 24 characters (128 bits of randomness)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  PUBLIC_READ: flag,
  LOG_LEVEL: z.enum(['silent', 'error', 'info', 'debug']).default('info'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  AUDIT_SIGNING_KEY: z
    .string()
    .regex(/^PRIVATE\+KEY\+[^\s+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/=]{44}$/, 'must read PRIVATE+KEY+<name>+<key id>+<base64 key> (npm run audit-key -- <name> makes one)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(1200),
  RATE_LIMIT_PER_ADDRESS_PER_MINUTE: z.coerce.number().int().min(0).max(10_000_000).default(6000),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  TRUST_PROXY: z
    .string()
    .regex(/^(|\d{1,2}|loopback|linklocal|uniquelocal|[0-9a-fA-F.:/, ]+)$/, 'must be a hop count, loopback/linklocal/uniquelocal, or addresses/CIDRs')
    .default(''),
  METRICS_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DATABASE_REPLICA_URLS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((u) => u.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^postgres(ql)?:\/\//, 'each must be a postgres:// or postgresql:// URL'))),
  REPLICA_MAX_LAG_MS: z.coerce.number().int().min(0).max(3_600_000).default(5000),
  READ_YOUR_WRITES_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  READ_CACHE_MB: z.coerce.number().int().min(0).max(4096).default(16),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, e.g. https://claims.example.org' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  poolSize: number;
  /** How long a request waits for a free connection of the pool before it is answered 503. */
  poolWaitMs: number;
  /** PostgreSQL's statement_timeout and lock_timeout, on every connection of the pool. */
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  adminApiKey?: string;
  publicRead: boolean;
  logLevel: 'silent' | 'error' | 'info' | 'debug';
  shutdownTimeoutMs: number;
  /** Requests per caller per minute; 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** Ed25519 signer key (C2SP note format) for audit checkpoints; the embedded demo makes one. */
  auditSigningKey?: string;
  /** Requests per address per minute, counted before authentication; 0 turns it off. */
  addressRateLimitPerMinute: number;
  /** Rate-limit counts in Redis rather than PostgreSQL. */
  redisUrl?: string;
  /** Express's `trust proxy`: which hops' X-Forwarded-For to believe ('' trusts none). */
  trustProxy: string | number | false;
  /** Bearer token of GET /metrics; unset, /metrics is off. */
  metricsToken?: string;
  /** Streaming replicas that serve reads (PostgreSQL only). */
  replicaUrls: string[];
  /** A replica further behind than this is out of rotation. */
  replicaMaxLagMs: number;
  /** After a write, the same key's reads wait for a replica that has it for this long. */
  readYourWritesMs: number;
  /** Room for repeated reads answered from memory while the ledger is unchanged; 0 turns it off. */
  readCacheMb: number;
  /** Where the public reaches this service (no trailing slash): the base of every URL it writes into exports. */
  publicUrl: string;
};

export class ConfigError extends Error {}

/** Parses the environment once at start-up; refuses to start on bad settings. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return {
    env: c.NODE_ENV,
    port: c.PORT,
    host: c.HOST,
    databaseUrl: c.DATABASE_URL,
    dataDir: c.DATA_DIR,
    poolSize: c.DATABASE_POOL_SIZE,
    poolWaitMs: c.DATABASE_POOL_WAIT_MS,
    statementTimeoutMs: c.STATEMENT_TIMEOUT_MS,
    lockTimeoutMs: c.LOCK_TIMEOUT_MS,
    adminApiKey: c.ADMIN_API_KEY,
    publicRead: c.PUBLIC_READ,
    logLevel: c.LOG_LEVEL,
    shutdownTimeoutMs: c.SHUTDOWN_TIMEOUT_MS,
    rateLimitPerMinute: c.RATE_LIMIT_PER_MINUTE,
    auditSigningKey: c.AUDIT_SIGNING_KEY,
    addressRateLimitPerMinute: c.RATE_LIMIT_PER_ADDRESS_PER_MINUTE,
    redisUrl: c.REDIS_URL,
    trustProxy: c.TRUST_PROXY === '' ? false : /^\d+$/.test(c.TRUST_PROXY) ? Number(c.TRUST_PROXY) : c.TRUST_PROXY,
    metricsToken: c.METRICS_TOKEN,
    replicaUrls: c.DATABASE_REPLICA_URLS,
    replicaMaxLagMs: c.REPLICA_MAX_LAG_MS,
    readYourWritesMs: c.READ_YOUR_WRITES_MS,
    readCacheMb: c.READ_CACHE_MB,
    publicUrl: (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, ''),
  };
}
