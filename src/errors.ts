/**
 * Typed errors. Library code throws these, and only the CLI prints them: one
 * line, with a stack trace only under `--debug`. The CLI maps them to exit
 * codes, 2 for invalid usage or input and 1 for a failure of the job.
 */

/** Base class of every error grooviest raises on purpose. */
export class GrooviestError extends Error {
  /** Process exit code the CLI uses for this error. */
  readonly exitCode: 1 | 2;

  constructor(message: string, exitCode: 1 | 2, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** Invalid input data or arguments: the message names the value and the fix. Exit code 2. */
export class InputError extends GrooviestError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 2, options);
  }
}

/** The job failed for a reason outside the input (a server, the disk). Exit code 1. */
export class JobError extends GrooviestError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 1, options);
  }
}
