import { readFileSync } from 'node:fs';
import path from 'node:path';

export type Dataset = {
  claims: number;
  dossierClaim: string;
  commonWord: string;
  commonParty: string;
  rareWord: string;
  phrase: string;
  statementsParty: string;
  misspelled: string;
  [key: string]: unknown;
};

export function loadDataset(): Dataset {
  return JSON.parse(readFileSync(path.join(__dirname, '.dataset.json'), 'utf8')) as Dataset;
}

/** The lookups a journalist makes, as paths on the service (and on the floor, which replays their SQL). */
export function scenarios(d: Dataset): { name: string; path: string }[] {
  const q = encodeURIComponent;
  return [
    { name: 'dossier by id', path: `/v1/claims/${d.dossierClaim}` },
    { name: `search common word + party (${d.commonWord}, ${d.commonParty})`, path: `/v1/claims?q=${q(d.commonWord)}&party=${q(d.commonParty)}` },
    { name: `search rare word (${d.rareWord})`, path: `/v1/claims?q=${q(d.rareWord)}` },
    { name: `search phrase ("${d.phrase}")`, path: `/v1/claims?q=${q(`"${d.phrase}"`)}` },
    { name: `party statements (${d.statementsParty})`, path: `/v1/parties/${q(d.statementsParty)}/statements` },
    { name: `party lookup misspelled (${d.misspelled})`, path: `/v1/parties?q=${q(d.misspelled)}` },
  ];
}
