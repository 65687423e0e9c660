import { ApiError, newIdempotencyKey } from './api';
import { h } from './dom';

/*
 * Forms that write. Every write carries an Idempotency-Key, kept while the
 * body stays the same: a double click, or "try again" after a lost answer,
 * replays the first write instead of making a second. The API's problems are
 * put next to the fields their errors[].path names, in plain words.
 */

const STATUS_WORDS: Record<number, string> = {
  0: 'The service cannot be reached. Check your connection and try again.',
  400: 'Some fields need fixing.',
  401: 'Your key is not accepted any more. Sign in again.',
  403: 'Your role may not do this.',
  404: 'This no longer exists, or you may not see it.',
  409: 'This conflicts with what is already recorded.',
  412: 'Someone else changed this since you opened it.',
  413: 'This is too large to send.',
  422: 'This cannot be recorded as it is.',
  428: 'The page did not say which version it changes. Reload and try again.',
  429: 'Too many requests at once. Wait a moment and try again.',
  503: 'The database is unavailable right now. Try again shortly.',
};

/** A validation message in words a non-programmer understands. */
export function plainMessage(message: string): string {
  const m = message.trim();
  if (/received undefined|required/i.test(m)) return 'This is required.';
  if (/must not be blank|must not be empty|too small: expected string/i.test(m)) return 'This cannot be left empty.';
  if (/must be a UUID|invalid uuid/i.test(m)) return 'Choose one from the list.';
  const long = /at most (\d+) characters|expected string to have <=\s*(\d+)/i.exec(m);
  if (long) return `Too long: at most ${long[1] ?? long[2]} characters.`;
  if (/unknown field/i.test(m)) return 'The page sent a field the service does not know. Reload the page.';
  const sentence = m.charAt(0).toUpperCase() + m.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

function fieldFor(form: HTMLElement, path: string): HTMLElement | null {
  const fields = [...form.querySelectorAll<HTMLElement>('[data-path]')];
  const parts = path.split('.');
  // The longest prefix of the path that a field answers for: anchor.end → anchor.
  for (let n = parts.length; n > 0; n -= 1) {
    const p = parts.slice(0, n).join('.');
    const hit = fields.find((f) => (f.dataset.path ?? '').split(' ').includes(p));
    if (hit) return hit;
  }
  return null;
}

export function clearProblems(form: HTMLElement): void {
  for (const e of form.querySelectorAll<HTMLElement>('.field-error')) {
    e.hidden = true;
    e.textContent = '';
  }
  for (const f of form.querySelectorAll('.field.invalid')) f.classList.remove('invalid');
  for (const c of form.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
}

/** Shows an API problem: each error next to its field, the rest (and the gist) in `out`. */
export function showProblem(form: HTMLElement, out: HTMLElement, err: unknown): void {
  clearProblems(form);
  const p = err instanceof ApiError ? err : new ApiError(0, 'Something went wrong in the dashboard', err instanceof Error ? err.message : String(err));
  const unplaced: string[] = [];
  let first: HTMLElement | null = null;
  for (const e of p.errors) {
    const f = fieldFor(form, e.path);
    const slot = f?.querySelector<HTMLElement>(':scope > .field-error');
    if (!f || !slot) {
      unplaced.push(`${e.path === '(root)' ? '' : `${e.path}: `}${plainMessage(e.message)}`);
      continue;
    }
    f.classList.add('invalid');
    slot.hidden = false;
    slot.textContent = slot.textContent ? `${slot.textContent} ${plainMessage(e.message)}` : plainMessage(e.message);
    f.querySelector('input, select, textarea')?.setAttribute('aria-invalid', 'true');
    first ??= f;
  }
  const gist = p.status in STATUS_WORDS ? STATUS_WORDS[p.status]! : p.title;
  out.replaceChildren(
    h(
      'div',
      { class: 'problem', role: 'alert' },
      h('p', { class: 'problem-title' }, gist),
      // "The request body is not valid" says nothing the fields do not say better, once each error sits by its field.
      p.detail && p.detail !== p.title && !(p.errors.length && unplaced.length === 0 && /not valid|invalid|validation/i.test(p.detail)) ? h('p', null, p.detail) : null,
      unplaced.length ? h('ul', null, unplaced.map((u) => h('li', null, u))) : null,
      p.status ? h('p', { class: 'hint' }, `(${p.title}, ${p.status})`) : null,
    ),
  );
  (first?.querySelector('input, select, textarea') as HTMLElement | null)?.focus();
}

/** Gives the same Idempotency-Key to the same body until a write succeeds. */
export function idempotencyKeys(): { keyFor(body: unknown): string; done(): void } {
  let last: { json: string; key: string } | null = null;
  return {
    keyFor(body) {
      const json = JSON.stringify(body);
      if (!last || last.json !== json) last = { json, key: newIdempotencyKey() };
      return last.key;
    },
    done() {
      last = null;
    },
  };
}

export type Submit = (keyFor: (body: unknown) => string) => Promise<void>;
type Keys = ReturnType<typeof idempotencyKeys>;

/** One write at a time: buttons disabled while it runs, problems shown in place, the key kept for the same body. */
function guarded(container: HTMLElement, out: HTMLElement, buttons: () => HTMLButtonElement[], keys: Keys, submit: Submit): () => Promise<void> {
  let running = false;
  return async () => {
    if (running) return;
    running = true;
    const busy = buttons();
    for (const b of busy) {
      b.disabled = true;
      b.setAttribute('aria-busy', 'true');
    }
    clearProblems(container);
    out.replaceChildren();
    try {
      await submit(keys.keyFor);
      keys.done();
    } catch (err) {
      showProblem(container, out, err);
    } finally {
      running = false;
      for (const b of busy) {
        b.disabled = false;
        b.removeAttribute('aria-busy');
      }
    }
  };
}

/**
 * Runs `submit` when the form is submitted: the button is disabled while it runs (a second click does nothing),
 * problems are shown in place, and the same body is sent with the same Idempotency-Key.
 */
export function onSubmit(form: HTMLFormElement, out: HTMLElement, submit: Submit): void {
  const run = guarded(form, out, () => [...form.querySelectorAll<HTMLButtonElement>('button[type="submit"]')], idempotencyKeys(), submit);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void run();
  });
}

/** The same for a group of fields inside another form (no nested forms): the button, or Enter in a field, writes. */
export function onSubmitButton(button: HTMLButtonElement, container: HTMLElement, out: HTMLElement, keys: Keys, submit: Submit): void {
  const run = guarded(container, out, () => [button], keys, submit);
  button.addEventListener('click', () => void run());
  container.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && ev.target instanceof HTMLInputElement && ev.target.getAttribute('role') !== 'combobox') {
      ev.preventDefault();
      void run();
    }
  });
}

/** A status line after a successful write. */
export const saved = (text: string, ...rest: (Node | string)[]) => h('p', { class: 'ok', role: 'status' }, text, ...rest);
