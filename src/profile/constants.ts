/** The profile of every customer that has none of its own (`profiles/default.json`), and the base of every chain. */
export const DEFAULT_PROFILE = 'default';
