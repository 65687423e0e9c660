import helmet from 'helmet';
import type { RequestHandler } from 'express';

/*
 * Security headers on every response, by helmet. The API answers JSON and
 * never needs to load or frame anything, so its policy is "nothing"; the
 * pages (the dashboard, /docs) set their own, narrower-than-helmet's-default
 * policies on top (a later Content-Security-Policy replaces this one).
 */
export const securityHeaders: RequestHandler = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
  },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  // Cross-origin API clients (a newsroom's own tools) must still read the answers.
  crossOriginResourcePolicy: { policy: 'same-site' },
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
});

/** A page's own policy: only its own scripts, styles and API calls. */
export function pagePolicy(extra: { styleSrc?: string[]; imgSrc?: string[] } = {}): RequestHandler {
  return helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", ...(extra.styleSrc ?? [])],
      imgSrc: ["'self'", 'data:', ...(extra.imgSrc ?? [])],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      formAction: ["'self'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
    },
  });
}
