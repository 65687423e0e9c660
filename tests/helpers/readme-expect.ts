/*
 * What a README example's `→ …` comment says, checked against its answer.
 * The comment is prose for the reader, read here by these forms:
 *   422 …                  the HTTP status (without one: any 2xx)
 *   3 claims, 2 hits, …    how many items the list holds (`data`, or the
 *                          array of that name: nodes, edges, items, sentences)
 *   first "…"              the first item's statement (or name)
 *   "…"                    the answer contains this text (for a command
 *                          that is not curl: its output)
 *   {"ok":true,"n":…}      these fields have these values (… is any value)
 *   text/plain …           the answer's media type
 */

export type Answer = { exitCode: number; stdout: string; stderr: string; status?: number; headers: string; body: string };

type Json = Record<string, unknown>;

const COUNTED = /\b(\d+) (claims?|hits?|parties|party|statements?|events?|items?|nodes?|edges?|sentences?|findings?|quotes?)\b/g;

function listOf(body: unknown, noun: string): unknown[] | undefined {
  if (Array.isArray(body)) return body;
  const b = body as Json;
  const plural = noun.endsWith('s') ? noun : noun === 'party' ? 'parties' : `${noun}s`;
  if (Array.isArray(b?.[plural])) return b[plural] as unknown[];
  return Array.isArray(b?.data) ? (b.data as unknown[]) : undefined;
}

const firstText = (item: unknown): string | undefined => {
  const i = item as Json;
  return (i?.statement ?? i?.name ?? (i?.claim as Json | undefined)?.statement) as string | undefined;
};

export function checkExpectation(expectation: string, answer: Answer, isHttp: boolean): string[] {
  const wrong: string[] = [];
  const said = expectation.trim();
  if (!isHttp) {
    if (answer.exitCode !== 0) wrong.push(`exited ${answer.exitCode}: ${answer.stderr.slice(0, 400)}`);
    for (const [, text] of said.matchAll(/"([^"]+)"/g)) {
      if (!answer.stdout.includes(text!)) wrong.push(`printed no "${text}": ${answer.stdout.slice(0, 300)}`);
    }
    return wrong;
  }
  if (answer.status === undefined) return [`curl did not answer (exit ${answer.exitCode}): ${answer.stderr.slice(0, 300)}`];
  const status = /^(\d{3})\b/.exec(said)?.[1];
  if (status ? answer.status !== Number(status) : answer.status >= 300) {
    wrong.push(`answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    return wrong;
  }
  let body: unknown;
  try {
    body = JSON.parse(answer.body);
  } catch {
    body = undefined;
  }
  const media = /^content-type:\s*([^;\r\n]+)/im.exec(answer.headers)?.[1]?.trim();
  const mediaSaid = /\b((?:text|application)\/[\w.+-]+)/.exec(said)?.[1];
  if (mediaSaid && media !== mediaSaid) wrong.push(`answered as ${media}, not ${mediaSaid}`);

  let rest = said;
  for (const m of said.matchAll(COUNTED)) {
    const list = listOf(body, m[2]!);
    if (list?.length !== Number(m[1])) wrong.push(`holds ${list?.length ?? 'no list of'} ${m[2]}, not ${m[1]}`);
    rest = rest.replace(m[0], '');
  }
  for (const m of said.matchAll(/\bfirst "([^"]+)"/g)) {
    const first = firstText(listOf(body, 'items')?.[0]);
    if (first !== m[1]) wrong.push(`first is "${first}", not "${m[1]}"`);
    rest = rest.replace(m[0], '');
  }
  for (const m of said.matchAll(/\{[^{}]*\}/g)) {
    for (const [, key, value] of m[0].matchAll(/"(\w+)":\s*(true|false|null|-?\d+|"[^"]*")/g)) {
      const actual = (body as Json | undefined)?.[key!];
      if (JSON.stringify(actual) !== JSON.stringify(JSON.parse(value!))) wrong.push(`${key} is ${JSON.stringify(actual)}, not ${value}`);
    }
    rest = rest.replace(m[0], '');
  }
  const text = body === undefined ? answer.body : JSON.stringify(body);
  for (const [, quoted] of rest.matchAll(/"([^"]+)"/g)) {
    if (!text.includes(quoted!)) wrong.push(`contains no "${quoted}"`);
  }
  return wrong;
}
