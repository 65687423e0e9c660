import type { RequestHandler } from 'express';

declare module 'express-serve-static-core' {
  interface Request {
    /** Keeps the request counted as in flight until the returned release is called (a handler's work). */
    hold?: () => () => void;
  }
}

/**
 * The requests whose work is not over: their response is still open, or
 * their handler still runs — a client that hangs up closes the response, not
 * the work it asked for. Shutdown waits for `settled()` before it closes the
 * database, so no handler meets a pool that has ended.
 */
export function inFlightRequests() {
  let open = 0;
  let waiters: (() => void)[] = [];
  const track: RequestHandler = (req, res, next) => {
    open += 1;
    let holds = 1;
    const release = () => {
      holds -= 1;
      if (holds > 0) return;
      open -= 1;
      if (open === 0) for (const wake of waiters.splice(0)) wake();
    };
    req.hold = () => {
      holds += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        release();
      };
    };
    res.once('close', release);
    next();
  };
  const settled = () => (open === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve)));
  return { track, settled };
}

export type InFlight = ReturnType<typeof inFlightRequests>;
