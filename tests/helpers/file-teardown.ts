import { stopExtracting } from '../../src/modules/claimreview/extract';

// Each test file loads its own copy of the import reader: its thread ends with the file, not with the jest worker.
afterAll(() => stopExtracting());
