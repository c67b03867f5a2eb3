/** Parsing of the HTTP `Retry-After` header. */

/**
 * Returns the wait a `Retry-After` value requests, in milliseconds: delay
 * seconds (`120`, fractions allowed) or an HTTP date. Returns undefined when
 * the value is missing or unreadable; a date in the past gives 0.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);

  // An HTTP date always names its day or month; Date.parse alone would read `-5` as a year.
  if (!/[A-Za-z]/.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
