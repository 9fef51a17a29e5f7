/** Checks of an executor's configuration values that throw a `TypeError` naming the executor and the option. */
export interface ExecutorOptionChecks {
  /** `executor "<name>": <option> must be a non-empty string` */
  nonEmptyString(value: unknown, option: string): string;
  /** `executor "<name>": <option> must be a number >= 0, got <value>` (finite) */
  nonNegative(value: unknown, option: string): number;
  /** `executor "<name>": <option> must be a number > 0, got <value>` (finite) */
  positive(value: unknown, option: string): number;
}

/** The option checks of one executor, e.g. `const { nonNegative } = executorOptionChecks('slurm')`. */
export function executorOptionChecks(executor: string): ExecutorOptionChecks {
  const where = `executor "${executor}"`;
  return {
    nonEmptyString(value, option) {
      if (typeof value !== 'string' || value === '') throw new TypeError(`${where}: ${option} must be a non-empty string`);
      return value;
    },
    nonNegative(value, option) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new TypeError(`${where}: ${option} must be a number >= 0, got ${String(value)}`);
      return value;
    },
    positive(value, option) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new TypeError(`${where}: ${option} must be a number > 0, got ${String(value)}`);
      return value;
    },
  };
}
