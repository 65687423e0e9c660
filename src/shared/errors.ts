/**
 * Domain errors: what went wrong in the language of the product, with a
 * stable code. They know nothing of HTTP; `http/problem.ts` maps them.
 */
export type FieldError = { path: string; message: string };

export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request is not well formed (bad JSON, wrong types, unknown fields). */
export class InvalidInputError extends DomainError {
  readonly code = 'invalid-input';
  constructor(
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}

/** Well formed but not acceptable: a quote absent from its source, a speaker who is not a person… */
export class UnprocessableError extends DomainError {
  constructor(
    readonly code: string,
    message: string,
    readonly errors: FieldError[] = [],
    details: Record<string, unknown> = {},
  ) {
    super(message, details);
  }
}

/** More than one request may carry: too large, too many items, nested too deep. */
export class TooLargeError extends DomainError {
  constructor(
    readonly code: string,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, details);
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'not-found';
  constructor(
    readonly entity: string,
    id: string,
  ) {
    super(`No ${entity} with id or slug '${id}'`);
  }
}

export class ConflictError extends DomainError {
  constructor(
    readonly code: string,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, details);
  }
}

export class AuthenticationError extends DomainError {
  readonly code = 'unauthenticated';
}

export class ForbiddenError extends DomainError {
  readonly code = 'forbidden';
}

export class PreconditionRequiredError extends DomainError {
  readonly code = 'if-match-required';
}

export class PreconditionFailedError extends DomainError {
  readonly code = 'stale-etag';
}

/** The resource was merged into another; callers are sent there. */
export class MovedError extends DomainError {
  readonly code = 'moved';
  constructor(readonly location: string) {
    super(`Moved to ${location}`);
  }
}

export class ServiceUnavailableError extends DomainError {
  readonly code: string = 'database-unavailable';
}

/** The database answered too slowly: a lock held too long, a statement over its time, no free connection. */
export class DatabaseTimeoutError extends ServiceUnavailableError {
  override readonly code: string = 'database-timeout';
}

/** A feature the deployment has not been configured for (e.g. signed checkpoints without AUDIT_SIGNING_KEY). */
export class NotConfiguredError extends DomainError {
  readonly code = 'not-configured';
}
