import type { PartyKind } from '../../generated/prisma/enums';
import type { AffiliationOut, PartyDetailOut, PartyOut } from './responses';

type PartyRow = {
  id: string;
  slug: string;
  name: string;
  kind: PartyKind;
  aliases: string[];
  country: string | null;
  description: string | null;
  wikidataId: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
};

export type PartyRefRow = { id: string; slug: string; name: string; kind: PartyKind };

/** The compact form used wherever a party is named inside another resource. */
export function presentPartyRef(p: PartyRefRow) {
  return { id: p.id, slug: p.slug, name: p.name, kind: p.kind };
}
export type PartyRef = ReturnType<typeof presentPartyRef>;

export function presentParty(p: PartyRow): PartyOut {
  return {
    id: p.id,
    slug: p.slug,
    name: p.name,
    kind: p.kind,
    aliases: p.aliases,
    country: p.country,
    description: p.description,
    wikidataId: p.wikidataId,
    version: p.version,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

type AffiliationRow = {
  id: string;
  role: string;
  from: Date | null;
  to: Date | null;
  person: PartyRefRow;
  party: PartyRefRow;
};

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

export function presentAffiliation(a: AffiliationRow): AffiliationOut {
  return { id: a.id, person: presentPartyRef(a.person), party: presentPartyRef(a.party), role: a.role, from: day(a.from), to: day(a.to) };
}

export function presentPartyDetail(p: PartyRow & { affiliationsAsPerson: AffiliationRow[]; affiliationsAsParty: AffiliationRow[] }): PartyDetailOut {
  return {
    ...presentParty(p),
    /** Whom this person speaks for (when the party is a PERSON). */
    affiliations: p.affiliationsAsPerson.map(presentAffiliation),
    /** People who speak for this party. */
    members: p.affiliationsAsParty.map(presentAffiliation),
  };
}
