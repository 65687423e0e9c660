import { checkpointText, generateSignerKey, openNote, parseCheckpointText, parseSignerKey, parseVerifierKey, signNote } from '../../src/modules/audit/signed-note';

describe('C2SP signed notes', () => {
  test('keys round-trip, including those whose base64 holds "+", and a note verifies only as signed', () => {
    for (let i = 0; i < 50; i += 1) {
      const signer = parseSignerKey(generateSignerKey('example-news.org/counterpoint'));
      const verifier = parseVerifierKey(signer.verifierKey);
      const checkpoint = { origin: signer.name, seq: 1000 + i, hash: 'ab'.repeat(32), at: '2026-12-01T09:00:00.000Z' };
      const note = signNote(checkpointText(checkpoint), signer);
      expect(note).toMatch(/^example-news\.org\/counterpoint\n\d+\n[A-Za-z0-9+/=]{44}\ntime 2026-12-01T09:00:00.000Z\n\n— example-news\.org\/counterpoint [A-Za-z0-9+/=]+\n$/);
      expect(parseCheckpointText(openNote(note, verifier))).toEqual(checkpoint);
      expect(() => openNote(note.replace(String(checkpoint.seq), String(checkpoint.seq + 1)), verifier)).toThrow(/does not verify/);
    }
  });

  test('a note signed by another key, or a malformed key, is refused', () => {
    const a = parseSignerKey(generateSignerKey('a.example/log'));
    const b = parseSignerKey(generateSignerKey('a.example/log'));
    const note = signNote('a.example/log\n1\nq0Bkqf4O3xD1o5b7HhHfd4k3kVp5m9WJm+7gaJYfF2w=\n', a);
    expect(() => openNote(note, parseVerifierKey(b.verifierKey))).toThrow(/no signature by a.example\/log/);
    expect(() => parseVerifierKey('not a key')).toThrow();
    expect(() => parseSignerKey(a.verifierKey)).toThrow(/PRIVATE\+KEY/);
  });
});
