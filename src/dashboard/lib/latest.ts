/*
 * Search as you type: each keystroke starts a new generation at once (not
 * when its debounce fires), so an answer to words the editor has since
 * changed — success or failure — is dropped instead of drawn over the fresh one.
 */
export type Latest = {
  /** A new generation, when the input changes: every earlier one is stale from now on. */
  next(): number;
  /** Whether `generation` is still the newest. */
  current(generation: number): boolean;
};

export function latest(): Latest {
  let generation = 0;
  return { next: () => (generation += 1), current: (g) => g === generation };
}

/** Runs `work` `ms` after the last call; `isCurrent()` turns false as soon as another call comes. */
export function debounced(ms: number, work: (isCurrent: () => boolean) => void | Promise<void>): () => void {
  const gen = latest();
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    const mine = gen.next();
    clearTimeout(timer);
    timer = setTimeout(() => void work(() => gen.current(mine)), ms);
  };
}
