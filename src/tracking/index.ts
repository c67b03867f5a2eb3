/**
 * Experiment tracking with MLflow's data model: a local SQLite store by
 * default, a real MLflow server when a tracking URI is set, and sync between
 * them.
 */
export * from './entities.js';
export * from './validation.js';
export * from './uri.js';
export * from './credentials.js';
export * from './config.js';
export * from './model-descriptor.js';
export * from './run.js';
export * from './client.js';
export * from './sync.js';
export { LocalStore, DATABASE_FILE } from './stores/local.js';
export { RestStore, splitLogBatch, LOG_BATCH_LIMITS, ArtifactsUnsupportedError } from './stores/rest.js';
export { MlflowRestError, TRANSIENT_STATUSES, defaultRetryPolicy, type RetryPolicy } from './stores/http.js';
