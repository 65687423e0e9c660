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

// First strong isolate … pop directional isolate: a name in the other script, kept in its own direction.
const iso = (s: string) => `\u2068${s}\u2069`;

describe('attributedSummary in the claim’s language (issue 13)', () => {
  const affirmsAndDenies = positions({ affirms: [by('Türkiye', 'Hakan Fidan')], denies: [by('İsrail')] });

  test('Turkish, names as written', () => {
    expect(attributedSummary('İsrail Gazze’deki ateşkesi düzenli olarak ihlal ediyor.', affirmsAndDenies, [], 'tr')).toBe(
      'Türkiye (Hakan Fidan) şunu söylüyor: İsrail Gazze’deki ateşkesi düzenli olarak ihlal ediyor; İsrail bunu reddediyor.',
    );
    expect(attributedSummary('Ateşkes sürüyor', positions({ affirms: [by('Türkiye'), by('Katar')] }), [], 'tr-TR')).toBe(
      'Türkiye ve Katar şunu söylüyorlar: Ateşkes sürüyor.',
    );
  });

  test('Arabic: verb first, Latin names isolated, Arabic names as written', () => {
    const line = attributedSummary('إسرائيل تنتهك وقف إطلاق النار في غزة', positions({ affirms: [by('Hamas')], denies: [by('إسرائيل')] }), [], 'ar');
    expect(line).toBe(`يقول ${iso('Hamas')} إن إسرائيل تنتهك وقف إطلاق النار في غزة؛ وينفي إسرائيل ذلك.`);
    expect(attributedSummary('الهدنة صامدة؟', positions({ questions: [by('قطر')] }), ['Israel'], 'ar')).toBe(
      `يشكك قطر في أن الهدنة صامدة؛ ويعترض ${iso('Israel')} على ذلك.`,
    );
  });

  test('an Arabic name or statement in an English line is isolated', () => {
    expect(attributedSummary('إسرائيل تنتهك الاتفاق', positions({ affirms: [by('Hamas', 'حازم قاسم')] }), [], 'en')).toBe(
      `Hamas (${iso('حازم قاسم')}) says ${iso('إسرائيل تنتهك الاتفاق')}.`,
    );
  });

  test('French, Spanish and German', () => {
    expect(attributedSummary('La trêve tient', affirmsAndDenies, ['Égypte'], 'fr')).toBe(
      'Türkiye (Hakan Fidan) affirme que La trêve tient ; İsrail le nie ; Égypte le conteste.',
    );
    expect(attributedSummary('La tregua se mantiene', positions({ denies: [by('Israel'), by('Estados Unidos')] }), [], 'es')).toBe(
      'Israel y Estados Unidos niegan que La tregua se mantiene.',
    );
    expect(attributedSummary('Die Waffenruhe hält', positions({ affirms: [by('Katar')], retracts: [by('Ägypten')] }), [], 'de-DE')).toBe(
      'Katar sagt: Die Waffenruhe hält; Ägypten hat sie zurückgezogen.',
    );
  });

  test('English for a language without its own wording, and when none is recorded', () => {
    expect(attributedSummary(S, positions({ affirms: [by('Pakistan')] }), [], 'ur')).toBe(`Pakistan says ${S}.`);
    expect(attributedSummary(S, positions({ affirms: [by('Pakistan')] }), [], null)).toBe(`Pakistan says ${S}.`);
  });

  test('a speaker who is the party itself is named once', () => {
    expect(attributedSummary(S, positions({ affirms: [by('Hakan Fidan', 'Hakan Fidan')] }), [])).toBe(`Hakan Fidan says ${S}.`);
  });
});
