type Named = { party: { name: string }; speaker: { name: string } | null };
type Grouped<T> = { affirms: T[]; denies: T[]; questions: T[]; retracts: T[] };

function who(p: Named): string {
  // A person speaking for themselves is named once, not "Irmin Suhl (Irmin Suhl)".
  return p.speaker && p.speaker.name !== p.party.name ? `${p.party.name} (${p.speaker.name})` : p.party.name;
}

function list(names: string[]): string {
  const unique = [...new Set(names)];
  if (unique.length <= 1) return unique.join('');
  return `${unique.slice(0, -1).join(', ')} and ${unique[unique.length - 1]}`;
}

const verb = (n: number, one: string, many: string) => (n === 1 ? one : many);

/**
 * The one line a journalist can paste: it always says who holds which
 * position, so the statement never reads as a fact.
 * e.g. "Türkiye (Hakan Fidan) says Israel is regularly violating the Gaza
 * ceasefire; Israel disputes this."
 */
export function attributedSummary(statement: string, positions: Grouped<Named>, counteringParties: string[]): string {
  const s = statement.trim().replace(/[.!?。]+$/u, '');
  const parties = (ps: Named[]) => new Set(ps.map((p) => p.party.name)).size;
  const clauses: string[] = [];
  const { affirms, denies, questions, retracts } = positions;
  let lead: keyof Grouped<Named>;
  if (affirms.length) {
    clauses.push(`${list(affirms.map(who))} ${verb(parties(affirms), 'says', 'say')} ${s}`);
    lead = 'affirms';
  } else if (denies.length) {
    clauses.push(`${list(denies.map(who))} ${verb(parties(denies), 'denies', 'deny')} that ${s}`);
    lead = 'denies';
  } else if (questions.length) {
    clauses.push(`${list(questions.map(who))} ${verb(parties(questions), 'questions', 'question')} whether ${s}`);
    lead = 'questions';
  } else {
    clauses.push(`${list(retracts.map(who))} ${verb(parties(retracts), 'has', 'have')} retracted the claim that ${s}`);
    lead = 'retracts';
  }
  if (lead !== 'denies' && denies.length) clauses.push(`${list(denies.map(who))} ${verb(parties(denies), 'denies', 'deny')} this`);
  if (lead !== 'questions' && questions.length) {
    clauses.push(`${list(questions.map(who))} ${verb(parties(questions), 'questions', 'question')} this`);
  }
  const opposing = new Set([...denies, ...questions].map((p) => p.party.name));
  const disputing = [...new Set(counteringParties)].filter((n) => !opposing.has(n));
  if (disputing.length) clauses.push(`${list(disputing)} ${verb(disputing.length, 'disputes', 'dispute')} this`);
  if (lead !== 'retracts' && retracts.length) {
    clauses.push(`${list(retracts.map(who))} ${verb(parties(retracts), 'has', 'have')} retracted it`);
  }
  return `${clauses.join('; ')}.`;
}
