/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  globalSetup: '<rootDir>/tests/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/tests/helpers/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/tests/helpers/contract-setup.ts', '<rootDir>/tests/helpers/file-teardown.ts'],
  testTimeout: 60_000,
  maxWorkers: 2,
  // A fresh worker process for every test file. Creating and closing many PGlite (WebAssembly)
  // instances in one Node process now and then crashes V8 itself (nodejs/node#64500: SIGSEGV,
  // failed CHECKs; here once "corrupted size vs. prev_size"); the service opens one PGlite for
  // its whole life, but a long-lived jest worker opens dozens. 0 means "always restart".
  workerIdleMemoryLimit: 0,
};
