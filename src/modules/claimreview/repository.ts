import type { Tx } from '../../db/transaction';
import type { PartyKind, SourceKind } from '../../generated/prisma/enums';
import { slugify } from '../../shared/text';
import { uuidv7 } from '../../shared/uuid';
import { presentAffiliation, presentParty } from '../parties/presenter';
import { partyRefSelect } from '../parties/repository';
import { presentSource } from '../sources/presenter';
import { sha256Hex } from '../sources/service';
import type { Audit } from '../write';
import type { PartySpec } from './mapping';

/*
 * The parties and sources an import needs, found or made inside the item's
 * transaction (the public services each open a transaction of their own).
 * What is made is audited as the API would audit it.
 */

// Accent folding the database can do without extensions: translate() with the same table on both sides.
const ACCENTED = 'áàâäãåāăąçćčďéèêëēėęěğíìîïīįıłñńňóòôöõøōőŕřśšşťúùûüūůűųýÿźżž';
const SPECIAL: Record<string, string> = { ı: 'i', ł: 'l', ø: 'o' };
const PLAIN = [...ACCENTED].map((c) => SPECIAL[c] ?? c.normalize('NFD')[0]!).join('');

/** Case- and accent-insensitive key of a name, as `nameKeySql` computes it in the database. */
export function nameKey(name: string): string {
  const s = name.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
  return [...s].map((c) => PLAIN[ACCENTED.indexOf(c)] ?? c).join('');
}

/** An existing party whose name or one of whose aliases is this name, preferring one of the same kind. */
export async function findPartyByName(tx: Tx, name: string, kind: PartyKind) {
  const key = nameKey(name);
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
    `SELECT p.id FROM party p
      WHERE translate(regexp_replace(btrim(lower(p.name)), '\\s+', ' ', 'g'), $2, $3) = $1
         OR EXISTS (SELECT 1 FROM unnest(p.aliases) a WHERE translate(regexp_replace(btrim(lower(a)), '\\s+', ' ', 'g'), $2, $3) = $1)
      ORDER BY (p.kind::text = $4) DESC, p.created_at, p.id
      LIMIT 1`,
    key,
    ACCENTED,
    PLAIN,
    kind,
  );
  return rows[0] ? tx.party.findUniqueOrThrow({ where: { id: rows[0].id } }) : null;
}

async function freeSlug(tx: Tx, base: string, id: string): Promise<string> {
  const root = base || `party-${id.slice(-12)}`;
  for (let n = 1; n <= 5; n += 1) {
    const slug = n === 1 ? root : `${root.slice(0, 76)}-${n}`;
    if (!(await tx.party.findUnique({ where: { slug }, select: { id: true } }))) return slug;
  }
  return `${root.slice(0, 67)}-${id.slice(-12)}`;
}

export async function createImportedParty(tx: Tx, audit: Audit, spec: PartySpec & { description?: string | null; slug?: string }) {
  const id = uuidv7();
  const party = await tx.party.create({
    data: {
      id,
      slug: spec.slug ?? (await freeSlug(tx, slugify(spec.name), id)),
      name: spec.name,
      kind: spec.kind,
      description: spec.description ?? null,
    },
  });
  audit({ action: 'party.create', entityType: 'party', entityId: id, after: presentParty(party) });
  return party;
}

export async function findOrCreateParty(tx: Tx, audit: Audit, spec: PartySpec & { description?: string | null }) {
  return (await findPartyByName(tx, spec.name, spec.kind)) ?? createImportedParty(tx, audit, spec);
}

/** Claimants nobody identified ("Sources multiples", "Social media users", no author) all go here. */
export const UNIDENTIFIED_SLUG = 'unidentified-claimants';

export async function unidentifiedClaimants(tx: Tx, audit: Audit, name: string) {
  const found = await tx.party.findUnique({ where: { slug: UNIDENTIFIED_SLUG } });
  return (
    found ??
    createImportedParty(tx, audit, {
      name,
      kind: 'COALITION',
      url: null,
      slug: UNIDENTIFIED_SLUG,
      description: 'Claims imported from fact-checks that name no claimant, or only a crowd ("multiple sources", "social media users"); the wording the fact-checker used is kept as each assertion’s occasion.',
    })
  );
}

export async function ensureAffiliation(tx: Tx, audit: Audit, personId: string, partyId: string, role: string) {
  const existing = await tx.affiliation.findUnique({ where: { personId_partyId_role: { personId, partyId, role } }, select: { id: true } });
  if (existing) return;
  const affiliation = await tx.affiliation.create({
    data: { id: uuidv7(), personId, partyId, role },
    include: { person: { select: partyRefSelect }, party: { select: partyRefSelect } },
  });
  audit({ action: 'affiliation.create', entityType: 'affiliation', entityId: affiliation.id, after: presentAffiliation(affiliation) });
}

export type NewSource = {
  kind: SourceKind;
  title: string;
  url: string | null;
  publisherId: string | null;
  publishedAt: Date | null;
  language: string | null;
  text: string | null;
};

export async function createImportedSource(tx: Tx, audit: Audit, s: NewSource) {
  const source = await tx.source.create({
    data: {
      id: uuidv7(),
      ...s,
      contentSha256: s.text !== null ? sha256Hex(s.text) : null,
      retrievedAt: new Date(),
    },
    include: { publisher: { select: partyRefSelect } },
  });
  // As the sources service does: the audit log keeps the text's hash, not the text.
  audit({ action: 'source.create', entityType: 'source', entityId: source.id, after: { ...presentSource(source), text: undefined } });
  return source;
}
