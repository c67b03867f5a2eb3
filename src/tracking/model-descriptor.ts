/**
 * The `MLmodel` descriptor that makes MLflow show an artifact folder as a
 * model: YAML with a `grooviest` flavour and MLflow's column-based signature
 * (`inputs` as a JSON list of `{type, name, required}` column specs).
 */

/** One column of a model signature; `type` is an MLflow data type. */
export interface ColumnSpec {
  name: string;
  /** MLflow data type: `double`, `float`, `long`, `integer`, `boolean`, `string`. */
  type: 'double' | 'float' | 'long' | 'integer' | 'boolean' | 'string';
  /** Whether the column must be present; default true. */
  required?: boolean;
}

/** A model signature: the input columns and, optionally, the output columns. */
export interface ModelSignature {
  inputs: ColumnSpec[];
  outputs?: ColumnSpec[];
}

/** Contents of one `MLmodel` file. */
export interface ModelDescriptor {
  /** Path of the model folder within the run's artifacts, such as `model`. */
  artifactPath: string;
  runId: string;
  /** 32 hex digits. */
  modelUuid: string;
  /** Creation time, milliseconds since the Unix epoch. */
  createdAt: number;
  grooviestVersion: string;
  signature?: ModelSignature;
  /** Extra keys of the `grooviest` flavour, such as the model's format name (strings or numbers). */
  flavor?: Record<string, string | number>;
}

function columnsJson(columns: ColumnSpec[]): string {
  return JSON.stringify(columns.map((column) => ({ type: column.type, name: column.name, required: column.required ?? true })));
}

// YAML single-quoted scalar: every character is literal except the quote, which doubles.
function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Returns the creation time as MLflow writes it: `YYYY-MM-DD HH:MM:SS.ffffff` in UTC. */
export function mlflowUtcTime(milliseconds: number): string {
  const iso = new Date(milliseconds).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000`;
}

/** Renders the `MLmodel` YAML. */
export function renderMLmodel(descriptor: ModelDescriptor): string {
  const lines = [`artifact_path: ${quote(descriptor.artifactPath)}`, 'flavors:', '  grooviest:'];
  lines.push(`    grooviest_version: ${quote(descriptor.grooviestVersion)}`);
  for (const [key, value] of Object.entries(descriptor.flavor ?? {})) {
    lines.push(`    ${key}: ${typeof value === 'number' ? String(value) : quote(value)}`);
  }
  lines.push(`model_uuid: ${quote(descriptor.modelUuid)}`);
  lines.push(`run_id: ${quote(descriptor.runId)}`);
  if (descriptor.signature) {
    lines.push('signature:');
    lines.push(`  inputs: ${quote(columnsJson(descriptor.signature.inputs))}`);
    lines.push(`  outputs: ${descriptor.signature.outputs ? quote(columnsJson(descriptor.signature.outputs)) : 'null'}`);
    lines.push('  params: null');
  }
  lines.push(`utc_time_created: ${quote(mlflowUtcTime(descriptor.createdAt))}`);
  return lines.join('\n') + '\n';
}

/** Returns the entry MLflow 2.x clients expect in a run's `mlflow.log-model.history` tag. */
export function logModelHistoryEntry(descriptor: ModelDescriptor): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    run_id: descriptor.runId,
    artifact_path: descriptor.artifactPath,
    utc_time_created: mlflowUtcTime(descriptor.createdAt),
    model_uuid: descriptor.modelUuid,
    flavors: { grooviest: { grooviest_version: descriptor.grooviestVersion, ...descriptor.flavor } },
  };
  if (descriptor.signature) {
    entry.signature = {
      inputs: columnsJson(descriptor.signature.inputs),
      outputs: descriptor.signature.outputs ? columnsJson(descriptor.signature.outputs) : null,
      params: null,
    };
  }
  return entry;
}
