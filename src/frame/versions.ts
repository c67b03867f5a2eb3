/**
 * Recognises versions of one recording by title: "I Can't Dance",
 * "I Can't Dance - Remastered 2007" and "I Can't Dance - 2007 Digital
 * Remaster" share one normalised title. Live recordings, demos, remixes and
 * other takes are different recordings and keep their suffix.
 */

/** Suffixes that name a release of the same recording, not a different one. */
const SAME_RECORDING = new RegExp(
  [
    String.raw`^(?:\d{4}\s+)?(?:digital(?:ly)?\s+)?(?:remaster|remastered|re-master|re-mastered)(?:\s+(?:version|edition|mix))?(?:\s+\d{4})?$`,
    String.raw`^(?:\d{4}\s+)?(?:mono|stereo)(?:\s+(?:version|mix|remaster))?$`,
    String.raw`^(?:single|album|lp|original|45)\s+version$`,
    String.raw`^(?:deluxe|expanded|anniversary|special|collector'?s)(?:\s+edition)?$`,
    String.raw`^bonus\s+track$`,
    String.raw`^(?:explicit|clean)(?:\s+version)?$`,
  ].join('|'),
  'i',
);

/** Words that make a suffix a different recording even next to "remaster". */
const DIFFERENT_RECORDING = /\b(?:live|demo|remix|acoustic|instrumental|rehearsal|take|session|unplugged|karaoke)\b/i;

/** The last version suffix of a title: " - Suffix", " (Suffix)" or " [Suffix]". */
const LAST_SUFFIX = /\s*(?:\s-\s+([^()[\]]+?)|\(([^()]+)\)|\[([^[\]]+)\])\s*$/;

/** Returns true when the suffix names a release of the same recording (a remaster, a mono mix…). */
export function isSameRecordingSuffix(suffix: string): boolean {
  const text = suffix.trim();
  return SAME_RECORDING.test(text) && !DIFFERENT_RECORDING.test(text);
}

/** Returns the title without same-recording suffixes (as many as it has). */
export function stripVersionSuffixes(title: string): string {
  let current = title.trim();
  for (;;) {
    const match = LAST_SUFFIX.exec(current);
    if (!match) return current;
    const suffix = match[1] ?? match[2] ?? match[3] ?? '';
    if (!isSameRecordingSuffix(suffix)) return current;
    current = current.slice(0, match.index).trim();
  }
}

/** Returns the comparison key of a title: suffixes stripped, lower case, punctuation and spacing folded. */
export function normaliseTitle(title: string): string {
  return stripVersionSuffixes(title)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
