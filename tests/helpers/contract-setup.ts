import { stopExtracting } from '../../src/modules/claimreview/extract';
import { recordCounts, takeMismatches } from './contract';

// A mismatch with the OpenAPI document fails the test whose request caused it.
afterEach(() => {
  const found = takeMismatches();
  if (found.length) throw new Error(`The answer does not match the OpenAPI document:\n  ${found.join('\n  ')}`);
});

afterAll(() => recordCounts(expect.getState().testPath ?? 'unknown'));

// Each test file loads its own copy of the import reader: its thread ends with the file, not with the jest worker.
afterAll(() => stopExtracting());
