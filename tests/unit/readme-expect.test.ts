import { checkExpectation, type Answer } from '../helpers/readme-expect';
import { readmeExamples, splitComment } from '../helpers/readme-blocks';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/* The README examples test reads what the README says; these check that it says no when the answer differs. */

const json = (status: number, body: unknown, type = 'application/json'): Answer => ({
  exitCode: 0,
  stdout: '',
  stderr: '',
  status,
  headers: `HTTP/1.1 ${status} X\r\nContent-Type: ${type}; charset=utf-8\r\n`,
  body: JSON.stringify(body),
});

const hits = json(200, { data: [{ statement: 'Israel is regularly violating the Gaza ceasefire' }, { statement: 'Other' }], nextCursor: null });

test('a count, the first item, a status, fields and quoted text are each checked', () => {
  expect(checkExpectation('2 hits, first "Israel is regularly violating the Gaza ceasefire"', hits, true)).toEqual([]);
  expect(checkExpectation('1 hit', hits, true)).toEqual(['holds 2 hit, not 1']);
  expect(checkExpectation('first "Other"', hits, true)).toEqual(['first is "Israel is regularly violating the Gaza ceasefire", not "Other"']);
  expect(checkExpectation('422: no such party', hits, true)[0]).toMatch(/^answered 200/);
  expect(checkExpectation('an answer', json(404, {}), true)[0]).toMatch(/^answered 404/);
  expect(checkExpectation('{"ok":true,"checked":…,"firstBadSeq":null}', json(200, { ok: false, checked: 3, firstBadSeq: 2 }), true)).toEqual([
    'ok is false, not true',
    'firstBadSeq is 2, not null',
  ]);
  expect(checkExpectation('"COUNTERS"', json(200, { type: 'SUPPORTS' }), true)).toEqual(['contains no "COUNTERS"']);
  expect(checkExpectation('text/plain: the note', json(200, {}), true)).toEqual(['answered as application/json, not text/plain']);
  expect(checkExpectation('3 nodes, 2 edges', json(200, { nodes: [1, 2, 3], edges: [1] }), true)).toEqual(['holds 1 edges, not 2']);
});

test('a command that is not curl is checked by its exit code and output', () => {
  const printed: Answer = { exitCode: 0, stdout: 'chain ok\nOK\n', stderr: '', headers: '', body: '' };
  expect(checkExpectation('prints "OK"', printed, false)).toEqual([]);
  expect(checkExpectation('prints "FAILED"', printed, false)).toHaveLength(1);
  expect(checkExpectation('prints "OK"', { ...printed, exitCode: 1 }, false)).toHaveLength(1);
});

test('examples are read from sh blocks only, continued lines joined, the → comment beside or below the command', () => {
  expect(splitComment(`curl -s "$B/v1/claims?q=a#b" -d '{"x":"#"}'   # → 1 hit`)).toEqual({ code: `curl -s "$B/v1/claims?q=a#b" -d '{"x":"#"}'`, comment: '→ 1 hit' });
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'readme-')), 'README.md');
  writeFileSync(
    file,
    ['```sh', 'curl -s \\', '  $B/a   # → 200', 'curl -s $B/b', '# what b is → 404', '# → "x"', '# a note', '# → not b’s', 'curl -s $B/c', '```', '```', 'curl -s $B/not-sh', '```'].join('\n'),
  );
  expect(readmeExamples(file).map((e) => [e.command, e.expect, e.line])).toEqual([
    ['curl -s $B/a', '200', 2],
    ['curl -s $B/b', '404 "x"', 4],
    ['curl -s $B/c', undefined, 9],
  ]);
});
