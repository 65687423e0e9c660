import { currentPositions, deriveContestation, type Stanced } from '../../src/modules/claims/positions';

type Stance = Stanced['stance'];

let n = 0;
function a(partyId: string, stance: Stance, o: { assertedAt?: string; createdAt?: string; withdrawn?: boolean; id?: string } = {}): Stanced {
  n += 1;
  return {
    id: o.id ?? `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    partyId,
    stance,
    assertedAt: o.assertedAt ? new Date(o.assertedAt) : null,
    createdAt: new Date(o.createdAt ?? '2026-01-01T00:00:00Z'),
    withdrawnAt: o.withdrawn ? new Date('2026-01-02T00:00:00Z') : null,
  };
}
const stances = (xs: Stanced[]) => xs.map((x) => [x.partyId, x.stance]);

describe('currentPositions', () => {
  test('keeps one position per party: its latest assertion by when it was said', () => {
    const older = a('israel', 'AFFIRMS', { assertedAt: '2025-11-01' });
    const newer = a('israel', 'DENIES', { assertedAt: '2025-11-03' });
    expect(currentPositions([older, newer])).toEqual([newer]);
    expect(currentPositions([newer, older])).toEqual([newer]); // input order does not matter
  });

  test('falls back to when it was recorded, then to the id, when the dates are equal or missing', () => {
    const first = a('israel', 'AFFIRMS', { createdAt: '2026-01-01T10:00:00Z' });
    const second = a('israel', 'DENIES', { createdAt: '2026-01-01T11:00:00Z' });
    expect(currentPositions([second, first])).toEqual([second]);

    const sameDayLater = a('turkiye', 'QUESTIONS', { assertedAt: '2025-11-03', createdAt: '2026-01-05T00:00:00Z' });
    const sameDayEarlier = a('turkiye', 'AFFIRMS', { assertedAt: '2025-11-03', createdAt: '2026-01-04T00:00:00Z' });
    expect(currentPositions([sameDayLater, sameDayEarlier])).toEqual([sameDayLater]);

    const x = a('p', 'AFFIRMS', { id: '00000000-0000-7000-8000-00000000000a' });
    const y = a('p', 'DENIES', { id: '00000000-0000-7000-8000-00000000000b' });
    expect(currentPositions([y, x])).toEqual([y]);
  });

  test('withdrawn assertions do not count: the previous active one is the position again', () => {
    const affirm = a('israel', 'AFFIRMS', { assertedAt: '2025-11-01' });
    const deny = a('israel', 'DENIES', { assertedAt: '2025-11-03', withdrawn: true });
    expect(currentPositions([affirm, deny])).toEqual([affirm]);
    expect(currentPositions([a('pakistan', 'AFFIRMS', { withdrawn: true })])).toEqual([]);
  });

  test('lists the parties in the order they spoke', () => {
    const t = a('turkiye', 'AFFIRMS', { assertedAt: '2025-11-03' });
    const i = a('israel', 'DENIES', { assertedAt: '2025-11-02' });
    const p = a('pakistan', 'QUESTIONS', { assertedAt: '2025-11-04' });
    expect(stances(currentPositions([t, i, p]))).toEqual([
      ['israel', 'DENIES'],
      ['turkiye', 'AFFIRMS'],
      ['pakistan', 'QUESTIONS'],
    ]);
  });

  test('an empty list has no positions', () => {
    expect(currentPositions([])).toEqual([]);
  });
});

describe('deriveContestation', () => {
  const p = (...s: Stance[]) => s.map((stance) => ({ stance }));

  test('only affirmations → uncontested', () => {
    expect(deriveContestation(p('AFFIRMS'), 0)).toBe('uncontested');
    expect(deriveContestation(p('AFFIRMS', 'AFFIRMS'), 0)).toBe('uncontested');
  });

  test('an affirmation and a denial or a question → contested', () => {
    expect(deriveContestation(p('AFFIRMS', 'DENIES'), 0)).toBe('contested');
    expect(deriveContestation(p('AFFIRMS', 'QUESTIONS'), 0)).toBe('contested');
  });

  test('an affirmation and a party counter-claim → contested', () => {
    expect(deriveContestation(p('AFFIRMS'), 1)).toBe('contested');
    expect(deriveContestation(p('AFFIRMS', 'AFFIRMS'), 3)).toBe('contested');
  });

  test('every affirming party retracted → retracted, whatever others say', () => {
    expect(deriveContestation(p('RETRACTS'), 0)).toBe('retracted');
    expect(deriveContestation(p('RETRACTS', 'RETRACTS'), 0)).toBe('retracted');
    expect(deriveContestation(p('RETRACTS', 'DENIES'), 2)).toBe('retracted');
  });

  test('one party retracting while another still affirms is not retracted', () => {
    expect(deriveContestation(p('AFFIRMS', 'RETRACTS'), 0)).toBe('uncontested');
    expect(deriveContestation(p('AFFIRMS', 'RETRACTS', 'DENIES'), 0)).toBe('contested');
  });

  test('denied or questioned with nobody affirming → contested (as documented in positions.ts)', () => {
    expect(deriveContestation(p('DENIES'), 0)).toBe('contested');
    expect(deriveContestation(p('QUESTIONS'), 0)).toBe('contested');
  });
});
