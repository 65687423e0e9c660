import { TooLargeError } from '../../shared/errors';

/** An import refused because reading its document went past what one import may take. */
export const tooComplex = (why: string) =>
  new TooLargeError('import-too-complex', `The document is larger than one import takes: ${why}. Split it into several imports.`);
