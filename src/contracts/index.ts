/**
 * The contracts between grooviest's stages, in one place:
 * - the canonical track table (frame): `track-table.ts`;
 * - the dataset for the ML stage (frame → ml): `dataset.ts`;
 * - the objective result (ml → tune): `objective.ts`;
 * - events (library → CLI): `events.ts`;
 * - errors and exit codes: `../errors.ts`;
 * - where files go: `../paths.ts`.
 */
export * from './track-table.js';
export * from './dataset.js';
export * from './objective.js';
export * from './events.js';
