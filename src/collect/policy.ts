/** The notice shown once per collection that fetches Spotify data. */

/**
 * States Spotify's restriction on machine learning and the alternatives,
 * without legal advice. Source: Spotify Developer Terms IV.2.a.i and
 * Developer Policy III.14, in force since 8 May 2023.
 */
export const SPOTIFY_POLICY_NOTICE =
  'notice: this collection fetches Spotify Content (track and album data, and audio features with --provider spotify). ' +
  "Spotify's Developer Terms and Developer Policy (since May 2023) forbid using Spotify Content to train a " +
  'machine-learning model or to feed it into one, and clustering these tracks does that. This is not legal advice: ' +
  'read the terms that apply to your app. Ways without Spotify Content: your own data files (CSV, JSON, Parquet) ' +
  'with features from another provider or from your own analysis.';
