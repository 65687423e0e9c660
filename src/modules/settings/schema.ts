import { z } from 'zod';

/** The deployment's editorial settings; PUT replaces them all. */
export const settingsBody = z.strictObject({
  /**
   * Off (the default): a review is published by someone other than its
   * author — a second pair of eyes. On: a one-person desk may publish its own.
   */
  allowSelfPublish: z.boolean(),
});
export type Settings = z.infer<typeof settingsBody>;

export const DEFAULT_SETTINGS: Settings = { allowSelfPublish: false };
