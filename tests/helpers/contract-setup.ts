import { recordCounts, takeMismatches } from './contract';

// A mismatch with the OpenAPI document fails the test whose request caused it.
afterEach(() => {
  const found = takeMismatches();
  if (found.length) throw new Error(`The answer does not match the OpenAPI document:\n  ${found.join('\n  ')}`);
});

afterAll(() => recordCounts(expect.getState().testPath ?? 'unknown'));
