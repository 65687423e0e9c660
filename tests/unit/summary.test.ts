import { attributedSummary } from '../../src/modules/claims/summary';

type Named = { party: { name: string }; speaker: { name: string } | null };
const by = (party: string, speaker?: string): Named => ({ party: { name: party }, speaker: speaker ? { name: speaker } : null });
const positions = (o: Partial<Record<'affirms' | 'denies' | 'questions' | 'retracts', Named[]>>) => ({
  affirms: o.affirms ?? [],
  denies: o.denies ?? [],
  questions: o.questions ?? [],
  retracts: o.retracts ?? [],
});

const S = 'Israel is regularly violating the Gaza ceasefire';

describe('attributedSummary', () => {
  test('names the party and its speaker: "X (Speaker) says …"', () => {
    expect(attributedSummary(S, positions({ affirms: [by('Türkiye', 'Hakan Fidan')] }), [])).toBe(
      'Türkiye (Hakan Fidan) says Israel is regularly violating the Gaza ceasefire.',
    );
  });

  test('adds who denies it: "X (Speaker) says …; Y denies this."', () => {
    expect(attributedSummary(S, positions({ affirms: [by('Türkiye', 'Hakan Fidan')], denies: [by('Israel')] }), [])).toBe(
      'Türkiye (Hakan Fidan) says Israel is regularly violating the Gaza ceasefire; Israel denies this.',
    );
  });

  test('matches the SPEC example when a party counters the claim with one of its own', () => {
    expect(attributedSummary(S, positions({ affirms: [by('Türkiye', 'Hakan Fidan')] }), ['Israel'])).toBe(
      'Türkiye (Hakan Fidan) says Israel is regularly violating the Gaza ceasefire; Israel disputes this.',
    );
  });

  test('does not repeat a party that both denies and counters', () => {
    expect(attributedSummary(S, positions({ affirms: [by('Türkiye')], denies: [by('Israel')] }), ['Israel', 'Israel'])).toBe(
      'Türkiye says Israel is regularly violating the Gaza ceasefire; Israel denies this.',
    );
  });

  test('joins several parties: "A and B say", "A, B and C say"', () => {
    expect(attributedSummary('A Palestinian state is the only path', positions({ affirms: [by('Türkiye'), by('Pakistan')] }), [])).toBe(
      'Türkiye and Pakistan say A Palestinian state is the only path.',
    );
    expect(
      attributedSummary('A Palestinian state is the only path', positions({ affirms: [by('Türkiye'), by('Pakistan', 'Ishaq Dar'), by('Qatar')] }), []),
    ).toBe('Türkiye, Pakistan (Ishaq Dar) and Qatar say A Palestinian state is the only path.');
    expect(attributedSummary(S, positions({ affirms: [by('Türkiye')], denies: [by('Israel'), by('United States')] }), [])).toBe(
      'Türkiye says Israel is regularly violating the Gaza ceasefire; Israel and United States deny this.',
    );
  });

  test('leads with the denial when nobody affirms: "X denies that …"', () => {
    expect(attributedSummary('The war in Gaza is a genocide', positions({ denies: [by('Israel')] }), [])).toBe(
      'Israel denies that The war in Gaza is a genocide.',
    );
    expect(attributedSummary('The war in Gaza is a genocide', positions({ denies: [by('Israel'), by('United States')] }), [])).toBe(
      'Israel and United States deny that The war in Gaza is a genocide.',
    );
  });

  test('leads with a question when nobody affirms or denies', () => {
    expect(attributedSummary('The truce will hold', positions({ questions: [by('Pakistan')] }), [])).toBe('Pakistan questions whether The truce will hold.');
  });

  test('says who retracted', () => {
    expect(attributedSummary('The truce will hold', positions({ retracts: [by('Türkiye')] }), [])).toBe('Türkiye has retracted the claim that The truce will hold.');
    expect(attributedSummary('The truce will hold', positions({ affirms: [by('Qatar')], retracts: [by('Türkiye'), by('Egypt')] }), [])).toBe(
      'Qatar says The truce will hold; Türkiye and Egypt have retracted it.',
    );
  });

  test('lists every stance in one line: says; denies; questions; disputes; retracted', () => {
    expect(
      attributedSummary(
        S,
        positions({ affirms: [by('Türkiye')], denies: [by('Israel')], questions: [by('Pakistan')], retracts: [by('Egypt')] }),
        ['Hamas', 'Israel'],
      ),
    ).toBe(
      'Türkiye says Israel is regularly violating the Gaza ceasefire; Israel denies this; Pakistan questions this; Hamas disputes this; Egypt has retracted it.',
    );
  });

  test('drops the statement’s own final punctuation and surrounding blanks', () => {
    expect(attributedSummary('  The truce holds.  ', positions({ affirms: [by('Qatar')] }), [])).toBe('Qatar says The truce holds.');
    expect(attributedSummary('Is the truce holding?!', positions({ questions: [by('Qatar')] }), [])).toBe('Qatar questions whether Is the truce holding.');
  });

  test('never returns the bare statement', () => {
    const line = attributedSummary(S, positions({ affirms: [by('Türkiye')] }), []);
    expect(line).not.toBe(S);
    expect(line.startsWith('Türkiye')).toBe(true);
  });
});
