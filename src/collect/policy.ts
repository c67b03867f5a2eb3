/** The notice shown once per collection that fetches Spotify data. */

/**
 * States Spotify's restriction on machine learning and the alternatives,
 * without legal advice. Source: Spotify Developer Terms IV.2.a.i and
 * Developer Policy III.14, in force since 8 May 2023.
 */
export const SPOTIFY_POLICY_NOTICE =
  "notice: Spotify's Developer Terms and Developer Policy (since May 2023) forbid using Spotify Content to train " +
  'a machine-learning model or otherwise feed it into one, and clustering these tracks does that. Read the terms ' +
  'that apply to your app. Paths without Spotify Content: audio features from another provider on your own tracks, ' +
  'or your own data files (grooviest reads CSV, JSON and Parquet).';
