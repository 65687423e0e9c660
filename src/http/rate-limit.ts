import type { RequestHandler } from 'express';
import { problem, sendProblem } from './problem';

const WINDOW_MS = 60_000;

/**
 * A fixed one-minute window per caller (its actor, or its address when
 * anonymous). It lives in this process: behind a load balancer each instance
 * counts on its own, which is what a first line of defence needs.
 */
export function rateLimit(perMinute: number, now: () => number = Date.now): RequestHandler {
  if (perMinute <= 0) return (_req, _res, next) => next();
  const windows = new Map<string, { start: number; count: number }>();
  return (req, res, next) => {
    const t = now();
    if (windows.size > 50_000) {
      for (const [k, w] of windows) if (t - w.start >= WINDOW_MS) windows.delete(k);
    }
    const key = req.actor ? `actor:${req.actor.id}` : `ip:${req.ip}`;
    let w = windows.get(key);
    if (!w || t - w.start >= WINDOW_MS) {
      w = { start: t, count: 0 };
      windows.set(key, w);
    }
    w.count += 1;
    const resetSeconds = Math.max(1, Math.ceil((w.start + WINDOW_MS - t) / 1000));
    res.set('RateLimit-Limit', String(perMinute));
    res.set('RateLimit-Remaining', String(Math.max(0, perMinute - w.count)));
    res.set('RateLimit-Reset', String(resetSeconds));
    if (w.count > perMinute) {
      res.set('Retry-After', String(resetSeconds));
      sendProblem(res, problem(429, 'rate-limited', `More than ${perMinute} requests in a minute; try again in ${resetSeconds} s`));
      return;
    }
    next();
  };
}
