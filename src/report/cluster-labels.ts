/** Plain-words labels of clusters from their standardised centroids. */

/** A feature counts as "high" or "low" when its centroid is at least this many standard deviations from the mean. */
export const LABEL_THRESHOLD = 0.5;

/**
 * Returns a label such as "high energy, low acousticness" from the (up to
 * three) features whose standardised centroid is furthest from 0, or
 * "close to the average track" when none reaches {@link LABEL_THRESHOLD}.
 */
export function clusterLabel(centroid: ArrayLike<number>, features: string[], maxFeatures = 3): string {
  const strongest = features
    .map((feature, j) => ({ feature, value: centroid[j] }))
    .filter((entry) => Math.abs(entry.value) >= LABEL_THRESHOLD)
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value))
    .slice(0, maxFeatures);
  if (strongest.length === 0) return 'close to the average track';
  return strongest.map((entry) => `${entry.value > 0 ? 'high' : 'low'} ${entry.feature}`).join(', ');
}
