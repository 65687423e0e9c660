import type { Contestation, Stance } from '../../generated/prisma/enums';

export type Stanced = {
  id: string;
  partyId: string;
  stance: Stance;
  assertedAt: Date | null;
  createdAt: Date;
  withdrawnAt: Date | null;
};

const when = (a: Stanced) => (a.assertedAt ?? a.createdAt).getTime();

function later(a: Stanced, b: Stanced): boolean {
  if (when(a) !== when(b)) return when(a) > when(b);
  if (a.createdAt.getTime() !== b.createdAt.getTime()) return a.createdAt > b.createdAt;
  return a.id > b.id;
}

/** A party's position is its latest active assertion (by when it was said, then when recorded). */
export function currentPositions<T extends Stanced>(assertions: T[]): T[] {
  const latest = new Map<string, T>();
  for (const a of assertions) {
    if (a.withdrawnAt) continue;
    const held = latest.get(a.partyId);
    if (!held || later(a, held)) latest.set(a.partyId, a);
  }
  return [...latest.values()].sort((a, b) => when(a) - when(b) || (a.id < b.id ? -1 : 1));
}

/**
 * uncontested: only affirmations. contested: someone affirms and someone
 * denies, questions or counters it with a claim of their own — or nobody
 * affirms it and someone denies or questions it. retracted: nobody affirms
 * it any more and at least one party that did has retracted.
 */
export function deriveContestation(positions: { stance: Stance }[], partyCounterClaims: number): Contestation {
  const count = (s: Stance) => positions.filter((p) => p.stance === s).length;
  const affirms = count('AFFIRMS');
  if (affirms === 0 && count('RETRACTS') > 0) return 'retracted';
  const opposes = count('DENIES') + count('QUESTIONS');
  if (opposes > 0 || (affirms > 0 && partyCounterClaims > 0)) return 'contested';
  return 'uncontested';
}
