import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/*
 * The process's one metrics registry. Modules import the counter they move
 * (a one-line `.inc()` where the thing happens); the gauges that read the
 * database are filled when /metrics is scraped (see scrape.ts).
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

const registers = [registry];

export const httpRequests = new Counter({
  name: 'counterpoint_http_requests_total',
  help: 'HTTP requests answered, by method, route template and status',
  labelNames: ['method', 'route', 'status'] as const,
  registers,
});

export const httpDuration = new Histogram({
  name: 'counterpoint_http_request_duration_seconds',
  help: 'Time from the request arriving to the response finishing, by method, route template and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers,
});

export const transactionRetries = new Counter({
  name: 'counterpoint_transaction_retries_total',
  help: 'Transactions run again after a serialization failure or deadlock',
  registers,
});

export const claimReviewImportItems = new Counter({
  name: 'counterpoint_claimreview_import_items_total',
  help: 'ClaimReview items met by imports, by outcome (imported, duplicate, rejected)',
  labelNames: ['outcome'] as const,
  registers,
});

export const draftChecks = new Counter({
  name: 'counterpoint_draft_checks_total',
  help: 'Drafts checked for attribution (POST /v1/drafts/check)',
  registers,
});

export const readCacheLookups = new Counter({
  name: 'counterpoint_read_cache_lookups_total',
  help: 'Cached reads by outcome: hit (kept answer), shared (waited for the same request in progress), miss (computed)',
  labelNames: ['result'] as const,
  registers,
});

export const keyCacheLookups = new Counter({
  name: 'counterpoint_key_cache_lookups_total',
  help: 'API keys authenticated from memory (hit: read at the current chain head) or looked up in the database (miss)',
  labelNames: ['result'] as const,
  registers,
});

export const databaseReads = new Counter({
  name: 'counterpoint_db_reads_total',
  help: 'Reads outside a transaction, by where they were served (primary, or the replica by index)',
  labelNames: ['target'] as const,
  registers,
});

export const poolConnections = new Gauge({
  name: 'counterpoint_db_pool_connections',
  help: 'Database pool connections by pool (primary, replica-N) and state (in_use, idle, waiting clients)',
  labelNames: ['pool', 'state'] as const,
  registers,
});

export const replicaInRotation = new Gauge({
  name: 'counterpoint_db_replica_in_rotation',
  help: '1 while a replica serves reads, 0 while it is out (away or too far behind)',
  labelNames: ['pool'] as const,
  registers,
});

export const auditHeadSeq = new Gauge({
  name: 'counterpoint_audit_head_seq',
  help: 'The seq of the newest audit event (the length of the chain)',
  registers,
});
