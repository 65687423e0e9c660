import { debounced, latest } from '../../src/dashboard/lib/latest';

/*
 * Search as you type (the "same claim?" offers, every picker): an answer to
 * words the editor has changed since must never be drawn over the fresh one,
 * even when it arrives after the newer search started or after it finished.
 */
describe('latest answer wins', () => {
  test('a generation is stale as soon as a newer one starts', () => {
    const gen = latest();
    const first = gen.next();
    expect(gen.current(first)).toBe(true);
    const second = gen.next();
    expect([gen.current(first), gen.current(second)]).toEqual([false, true]);
  });

  test('debounced: one run for a burst of keystrokes; a slow answer to older words is dropped', async () => {
    jest.useFakeTimers();
    try {
      const shown: string[] = [];
      let words = '';
      const answers: { words: string; resolve(): void }[] = [];
      const onInput = debounced(300, async (isCurrent) => {
        const asked = words;
        await new Promise<void>((resolve) => answers.push({ words: asked, resolve }));
        if (isCurrent()) shown.push(asked);
      });
      for (const w of ['I', 'Is', 'Isr']) {
        words = w;
        onInput();
        jest.advanceTimersByTime(100);
      }
      jest.advanceTimersByTime(300);
      expect(answers.map((a) => a.words)).toEqual(['Isr']); // the burst searched once, for its last words
      words = 'Israel';
      onInput(); // typed on while the answer for "Isr" is on its way
      answers[0]!.resolve();
      await Promise.resolve();
      await Promise.resolve();
      expect(shown).toEqual([]); // "Isr" is stale from the keystroke on, not only once the next search starts
      jest.advanceTimersByTime(300);
      answers[1]!.resolve();
      await Promise.resolve();
      await Promise.resolve();
      expect(shown).toEqual(['Israel']);
    } finally {
      jest.useRealTimers();
    }
  });
});
