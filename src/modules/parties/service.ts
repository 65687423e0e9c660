import type { Tx } from '../../db/transaction';
import { uuidv7, type FixedId } from '../../shared/uuid';
import { readerOf, type AppContext, type Caller } from '../../http/context';
import { z } from 'zod';
import { decodeCursor, keyset, toPage } from '../../http/pagination';
import { ConflictError, UnprocessableError } from '../../shared/errors';
import { contentEtag, requireCurrent, type IfMatch } from '../../http/etag';
import { slugify } from '../../shared/text';
import { write } from '../write';
import { referencedParty } from '../assertions/references';
import { presentAffiliation, presentParty, presentPartyDetail } from './presenter';
import { findPartyOrThrow, lockParty, partyDetailInclude, partyReferences, partyRefSelect } from './repository';
import { lookupPartiesJson } from './read-repository';
import type { CreateAffiliationInput, CreatePartyInput, ListPartiesQuery, PatchPartyInput } from './schema';

async function ensureSlugFree(tx: Tx, slug: string, exceptId?: string) {
  const existing = await tx.party.findUnique({ where: { slug }, select: { id: true, name: true } });
  if (existing && existing.id !== exceptId) {
    throw new ConflictError('slug-taken', `The slug '${slug}' already belongs to ${existing.name}`, { existingId: existing.id });
  }
}

export async function createParty(app: AppContext, caller: Caller, input: CreatePartyInput & FixedId) {
  return (await createPartyWithEtag(app, caller, input)).party;
}

/** The new party, and the ETag a GET of it answers (a PATCH can follow with it). */
export async function createPartyWithEtag(app: AppContext, caller: Caller, input: CreatePartyInput & FixedId) {
  return write(app, caller, async (tx, audit) => {
    const id = input.id ?? uuidv7();
    const slug = input.slug ?? (slugify(input.name) || `party-${id.slice(-12)}`);
    await ensureSlugFree(tx, slug);
    const party = await tx.party.create({
      data: {
        id,
        slug,
        name: input.name,
        kind: input.kind,
        aliases: input.aliases,
        country: input.country,
        description: input.description,
        wikidataId: input.wikidataId,
      },
    });
    const presented = presentParty(party);
    audit({ action: 'party.create', entityType: 'party', entityId: id, after: presented });
    return { party: presented, etag: contentEtag(await partyDetail(tx, id)) };
  });
}

/** What GET /v1/parties/{id} shows: the party and its affiliations (its ETag covers both). */
async function partyDetail(db: Tx | AppContext['prisma'], id: string) {
  return presentPartyDetail(await db.party.findUniqueOrThrow({ where: { id }, include: partyDetailInclude }));
}

export async function getParty(app: AppContext, idOrSlug: string) {
  const party = await findPartyOrThrow(app.prisma, idOrSlug);
  return partyDetail(app.prisma, party.id);
}

export async function listParties(app: AppContext, q: ListPartiesQuery) {
  const after = q.cursor ? decodeCursor(q.cursor, keyset.nameId) : undefined;
  const rows = await app.prisma.party.findMany({
    where: {
      AND: [
        q.kind ? { kind: q.kind } : {},
        after ? { OR: [{ name: { gt: after[0] } }, { name: after[0], id: { gt: after[1] } }] } : {},
      ],
    },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    take: q.limit + 1,
  });
  return toPage(rows.map(presentParty), q.limit, (p) => [p.name, p.id]);
}

/**
 * Names and aliases, folded (lowercase, no accents), matched by trigram word
 * similarity so that "Turky" finds Türkiye and "Hakan Fiden" finds Hakan
 * Fidan; best match first. Ranked by strict word similarity (whole words):
 * "Turky" is nearer the word "turkey" than the start of "turkmenistan",
 * which plain word similarity scores the same. The score is part of the
 * cursor: a page continues below the last score seen. The page comes as
 * JSON from one statement (read-repository.ts).
 */
export async function lookupParties(app: AppContext, q: ListPartiesQuery, text: string): Promise<string> {
  const after = q.cursor ? decodeCursor(q.cursor, z.tuple([z.number().min(0).max(1), z.string().max(1000), z.uuid()])) : undefined;
  return lookupPartiesJson(readerOf(app), text, { limit: q.limit, kind: q.kind, after });
}

export async function patchParty(app: AppContext, caller: Caller, idOrSlug: string, ifMatch: IfMatch, input: PatchPartyInput) {
  return write(app, caller, async (tx, audit) => {
    const found = await findPartyOrThrow(tx, idOrSlug);
    await lockParty(tx, found.id);
    const current = await tx.party.findUniqueOrThrow({ where: { id: found.id } });
    requireCurrent(ifMatch, await partyDetail(tx, current.id), 'party');
    if (input.slug && input.slug !== current.slug) await ensureSlugFree(tx, input.slug, current.id);
    if (input.kind && input.kind !== 'PERSON' && current.kind === 'PERSON') {
      const speaks = await tx.assertion.count({ where: { speakerId: current.id } });
      const memberships = await tx.affiliation.count({ where: { personId: current.id } });
      if (speaks + memberships > 0) {
        throw new ConflictError('person-in-use', 'This person is named as a speaker or has affiliations; its kind must stay PERSON');
      }
    }
    const after = await tx.party.update({ where: { id: current.id }, data: { ...input, version: { increment: 1 } } });
    const presented = presentParty(after);
    audit({ action: 'party.update', entityType: 'party', entityId: current.id, before: presentParty(current), after: presented });
    return { party: presented, etag: contentEtag(await partyDetail(tx, current.id)) };
  });
}

export async function deleteParty(app: AppContext, caller: Caller, idOrSlug: string) {
  await write(app, caller, async (tx, audit) => {
    const party = await findPartyOrThrow(tx, idOrSlug);
    const refs = await partyReferences(tx, party.id);
    if (Object.values(refs).some((n) => n > 0)) {
      throw new ConflictError('party-in-use', `${party.name} is still referred to and cannot be deleted`, { references: refs });
    }
    await tx.party.delete({ where: { id: party.id } });
    audit({ action: 'party.delete', entityType: 'party', entityId: party.id, before: presentParty(party) });
  });
}

export async function createAffiliation(app: AppContext, caller: Caller, personRef: string, input: CreateAffiliationInput & FixedId) {
  return write(app, caller, async (tx, audit) => {
    const person = await findPartyOrThrow(tx, personRef);
    const party = await referencedParty(tx, input.partyId, 'partyId');
    if (person.kind !== 'PERSON') {
      throw new UnprocessableError('not-a-person', `${person.name} is a ${person.kind}; only a PERSON can be affiliated to a party`);
    }
    if (person.id === party.id) throw new UnprocessableError('self-affiliation', 'A person cannot be affiliated to themselves');
    const duplicate = await tx.affiliation.findUnique({
      where: { personId_partyId_role: { personId: person.id, partyId: party.id, role: input.role } },
      select: { id: true },
    });
    if (duplicate) throw new ConflictError('affiliation-exists', 'This affiliation already exists', { existingId: duplicate.id });
    const affiliation = await tx.affiliation.create({
      data: {
        id: input.id ?? uuidv7(),
        personId: person.id,
        partyId: party.id,
        role: input.role,
        from: input.from ? new Date(input.from) : null,
        to: input.to ? new Date(input.to) : null,
      },
      include: { person: { select: partyRefSelect }, party: { select: partyRefSelect } },
    });
    const presented = presentAffiliation(affiliation);
    audit({ action: 'affiliation.create', entityType: 'affiliation', entityId: affiliation.id, after: presented });
    return presented;
  });
}

