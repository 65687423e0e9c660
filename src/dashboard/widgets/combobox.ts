import { ApiError } from '../api';
import { h } from '../dom';
import { latest } from '../lib/latest';
import { field } from '../ui';

/*
 * A search-as-you-type picker (WAI-ARIA combobox with a listbox): typing
 * (or the down arrow) searches, arrows move through the options, Enter picks, Escape closes.
 * Picking sets the value; typing again clears it until something is picked.
 */

export type ComboOptions<T> = {
  label: string;
  /** The API error path(s) this field answers for. */
  path?: string;
  hint?: string;
  placeholder?: string;
  search(q: string): Promise<T[]>;
  /** What an option shows. */
  render(item: T): Node;
  /** The text the input shows once it is picked. */
  text(item: T): string;
  /** A last option that is not a result, e.g. "Create a new party “…”". */
  extra?(q: string): { label: string; run(q: string): void } | null;
  onPick?(item: T | null): void;
};

export type Combo<T> = {
  el: HTMLElement;
  input: HTMLInputElement;
  value(): T | null;
  set(item: T | null): void;
  close(): void;
  /** Refuses (as a problem shown next to the field) words typed but never chosen: they would be dropped without a word. */
  assertChosen(): void;
};

let uid = 0;

export function combobox<T>(o: ComboOptions<T>): Combo<T> {
  const id = `cb-${(uid += 1)}`;
  const input = h('input', {
    id,
    type: 'text',
    role: 'combobox',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-autocomplete': 'list',
    'aria-expanded': 'false',
    'aria-controls': `${id}-list`,
    dir: 'auto',
    placeholder: o.placeholder,
  });
  const list = h('ul', { id: `${id}-list`, role: 'listbox', class: 'combo-list', hidden: true, 'aria-label': o.label });
  const status = h('span', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  let picked: T | null = null;
  let options: { li: HTMLElement; pick(): void }[] = [];
  let active = -1;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const searches = latest();

  const setActive = (i: number) => {
    active = i;
    options.forEach((opt, n) => opt.li.setAttribute('aria-selected', String(n === i)));
    if (i >= 0 && options[i]) {
      input.setAttribute('aria-activedescendant', options[i]!.li.id);
      options[i]!.li.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };
  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    setActive(-1);
  };
  const set = (item: T | null) => {
    // a search still pending for the words typed before the pick must not reopen the list over it
    clearTimeout(timer);
    searches.next();
    picked = item;
    input.value = item ? o.text(item) : '';
    wrapper.classList.toggle('picked', !!item);
    if (item) clearFieldProblem(); // what the last save said of this field is answered
    close();
  };
  const choose = (item: T) => {
    set(item);
    o.onPick?.(item);
  };

  async function refresh(mine = searches.next()) {
    const q = input.value.trim();
    list.replaceChildren(h('li', { class: 'combo-note' }, 'Searching…'));
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    let items: T[] = [];
    try {
      items = await o.search(q);
    } catch {
      if (searches.current(mine)) list.replaceChildren(h('li', { class: 'combo-note' }, 'The search failed; type again to retry.'));
      return;
    }
    if (!searches.current(mine)) return; // the words changed since: a newer search is on its way
    options = items.map((item, i) => {
      const li = h('li', { id: `${id}-opt-${i}`, role: 'option', class: 'combo-option', 'aria-selected': 'false' }, o.render(item));
      li.addEventListener('mousedown', (ev) => ev.preventDefault()); // keep the focus in the input
      li.addEventListener('click', () => choose(item));
      return { li, pick: () => choose(item) };
    });
    const extra = o.extra?.(q);
    if (extra) {
      const li = h('li', { id: `${id}-opt-extra`, role: 'option', class: 'combo-option combo-extra', 'aria-selected': 'false' }, extra.label);
      const run = () => {
        close();
        extra.run(q);
      };
      li.addEventListener('mousedown', (ev) => ev.preventDefault());
      li.addEventListener('click', run);
      options.push({ li, pick: run });
    }
    list.replaceChildren(...(options.length ? options.map((x) => x.li) : [h('li', { class: 'combo-note' }, q ? 'Nothing matches.' : 'Type to search.')]));
    status.textContent = `${items.length} ${items.length === 1 ? 'result' : 'results'}`;
    setActive(-1);
  }

  input.addEventListener('input', () => {
    if (picked) {
      picked = null;
      wrapper.classList.remove('picked');
      o.onPick?.(null);
    }
    const mine = searches.next();
    clearTimeout(timer);
    timer = setTimeout(() => void refresh(mine), 200);
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      if (list.hidden) void refresh();
      else if (options.length) setActive((active + (ev.key === 'ArrowDown' ? 1 : options.length - 1)) % options.length);
    } else if (ev.key === 'Enter' && !list.hidden) {
      ev.preventDefault(); // never submits the form while choosing
      const target = options[active >= 0 ? active : 0];
      target?.pick();
    } else if (ev.key === 'Escape' && !list.hidden) {
      ev.preventDefault();
      close();
    }
  });

  const wrapper = field(o.label, input, { hint: o.hint, path: o.path });
  wrapper.classList.add('combo');
  input.after(list, status);
  function clearFieldProblem() {
    const error = wrapper.querySelector<HTMLElement>(':scope > .field-error');
    if (error) [error.hidden, error.textContent] = [true, ''];
    wrapper.classList.remove('invalid');
    input.removeAttribute('aria-invalid');
  }
  const assertChosen = () => {
    const typed = input.value.trim();
    if (!typed || picked) return;
    const message = `“${typed}” is not chosen yet: pick it from the list, or create it there.`;
    throw new ApiError(400, 'Some fields need fixing', message, [{ path: o.path?.split(' ')[0] ?? o.label, message }]);
  };
  return { el: wrapper, input, value: () => picked, set, close, assertChosen };
}
