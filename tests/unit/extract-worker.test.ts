import * as jsonld from '../../src/modules/claimreview/jsonld';
import { run } from '../../src/modules/claimreview/extract-worker';

/*
 * How the import worker reports what went wrong: the sender's malformed JSON
 * is a 400 naming JSON, a document too big to read is refused as too large,
 * and a fault of ours is reported as ours — never passed off as "not valid JSON".
 */
describe('import worker replies', () => {
  afterEach(() => jest.restoreAllMocks());

  it('names malformed JSON as the sender’s', async () => {
    const reply = await run({ html: false, document: '{"claimReviewed": ', pageUrl: null });
    expect(reply).toMatchObject({ ok: false, invalidJson: expect.stringMatching(/JSON/) });
  });

  it('reports a fault while reading an HTML page as a fault, not as invalid JSON', async () => {
    jest.spyOn(jsonld, 'extractFromHtml').mockRejectedValue(new TypeError('cannot read properties of undefined'));
    const reply = await run({ html: true, document: '<html></html>', pageUrl: null });
    expect(reply).not.toHaveProperty('invalidJson');
    expect(reply).toMatchObject({ ok: false, failed: expect.stringContaining('cannot read properties of undefined') });
  });

  it('refuses a document that exhausts the reader as too complex', async () => {
    jest.spyOn(jsonld, 'extractFromJsonText').mockRejectedValue(new RangeError('Invalid string length'));
    const reply = await run({ html: false, document: '[]', pageUrl: null });
    expect(reply).toMatchObject({ ok: false, tooLarge: { code: 'import-too-complex', message: expect.stringContaining('Split it') } });
  });
});
