/**
 * The JSON Schema (draft-07) of the spec file format `fairsweep/v1`. It is the single source of
 * the file's structure: `validateSpec` checks documents against it (then adds the rules a schema
 * cannot say, such as low < high) and `schema/experiment-spec.v1.json` is this object, written out.
 *
 * Nodes carry a `title` where the generated wording of an error would be unclear: error messages
 * read "must be <title>, got ...".
 */

export const PARAM_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*$';
/** Metric names, shared with the line protocol; `step` is reserved there. */
export const METRIC_NAME_PATTERN = '^(?!step$)[A-Za-z_][A-Za-z0-9_./-]*$';
export const PROJECT_SLUG_PATTERN = '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$';
export const PLUGIN_NAME_PATTERN = '^[a-z][a-z0-9-]{0,63}$';
export const ENV_NAME_PATTERN = '^(?!FAIRSWEEP_)[A-Za-z_][A-Za-z0-9_]*$';
/** GPU device types (flavors): what a pool declares as its deviceType and a trial may ask for as gpuType. */
export const GPU_TYPE_PATTERN = '^[a-z0-9][a-z0-9._-]{0,63}$';
/** How GPU_TYPE_PATTERN reads in error messages. */
export const GPU_TYPE_RULE = '1-64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit';

/** At most this many GPU types in a trial's list of acceptable types. */
export const MAX_GPU_TYPES = 8;

const gpuType = { type: 'string', pattern: GPU_TYPE_PATTERN, title: `a GPU type (${GPU_TYPE_RULE})` };

const pluginName = {
  type: 'string',
  pattern: PLUGIN_NAME_PATTERN,
  title: 'a plugin name (lowercase letters, digits and "-", starting with a letter, at most 64 characters)',
};

/** Template names (`extends: <name>` or `<name>@<version>`). */
export const TEMPLATE_NAME_PATTERN = '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$';
export const TEMPLATE_REF_PATTERN = '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:@[1-9][0-9]{0,8})?$';

const parentValue = { type: ['number', 'string', 'boolean'] };

const condition = {
  title: 'a condition: a mapping of parent parameter names to a value or a non-empty list of values',
  description:
    'The parameter is active only when every parent named here is active and has one of the listed values; otherwise it is left out of the trial. Parents are categorical or int parameters.',
  type: 'object',
  minProperties: 1,
  propertyNames: { pattern: PARAM_NAME_PATTERN, title: 'a parameter name (letters, digits and "_", not starting with a digit)' },
  additionalProperties: {
    anyOf: [parentValue, { type: 'array', minItems: 1, uniqueItems: true, items: parentValue }],
    title: 'a parent value (number, string or boolean) or a non-empty list of them, all different',
  },
};

const floatParameter = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'low', 'high'],
  properties: {
    type: { const: 'float' },
    low: { type: 'number', description: 'Lower bound (inclusive).' },
    high: { type: 'number', description: 'Upper bound; must be greater than low.' },
    log: { type: 'boolean', default: false, description: 'Sample log-uniformly; needs low > 0.' },
    when: condition,
  },
};

const intParameter = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'low', 'high'],
  properties: {
    type: { const: 'int' },
    low: { type: 'integer', description: 'Lower bound (inclusive).' },
    high: { type: 'integer', description: 'Upper bound (inclusive); high >= low.' },
    step: { type: 'integer', minimum: 1, default: 1, description: 'Spacing of values; must divide high - low.' },
    log: { type: 'boolean', default: false, description: 'Sample log-uniformly; needs low >= 1 and step 1.' },
    when: condition,
  },
};

const categoricalParameter = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'choices'],
  properties: {
    type: { const: 'categorical' },
    choices: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: ['number', 'string', 'boolean'] },
      description: 'The values to choose from, all different.',
    },
    when: condition,
  },
};

const branch = (type: string, schema: object) => ({
  if: { type: 'object', properties: { type: { const: type } }, required: ['type'] },
  then: schema,
});

const parameter = {
  title: 'a parameter (a mapping with type "float", "int" or "categorical")',
  type: 'object',
  required: ['type'],
  properties: { type: { enum: ['float', 'int', 'categorical'] } },
  allOf: [branch('float', floatParameter), branch('int', intParameter), branch('categorical', categoricalParameter)],
};

export const SPEC_JSON_SCHEMA: Readonly<Record<string, unknown>> = deepFreeze({
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:fairsweep:schema:experiment-spec:v1',
  title: 'a mapping (an experiment spec with apiVersion "fairsweep/v1")',
  description: 'A Fairsweep experiment spec, format fairsweep/v1 (see the @fairsweep/sdk README).',
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion'],
  // A spec that extends a template may leave out what the template gives; the merged spec must have it all.
  if: { properties: { extends: false } },
  then: { required: ['name', 'searchSpace', 'objective', 'budget', 'trial'] },
  properties: {
    apiVersion: { const: 'fairsweep/v1' },
    kind: { const: 'Experiment', default: 'Experiment' },
    extends: {
      type: 'string',
      pattern: TEMPLATE_REF_PATTERN,
      title: 'a template reference: a template name (lowercase letters, digits and "-") or name@version',
      description:
        "The project's experiment template this spec builds on; resolved and merged at submit (the spec's fields win, mappings merge deeply, lists replace). The stored spec is the merged one.",
    },
    name: { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S', title: 'a name of 1 to 100 characters, not all blank' },
    description: { type: 'string', default: '' },
    project: {
      type: ['string', 'null'],
      pattern: PROJECT_SLUG_PATTERN,
      default: null,
      title: 'null or a project slug (1 to 63 lowercase letters, digits or "-", starting and ending with a letter or digit)',
    },
    seed: {
      type: 'integer',
      minimum: 0,
      maximum: 4294967295,
      description: 'Experiment seed (uint32). When absent, one is picked at random and recorded.',
    },
    searchSpace: {
      title: 'a mapping of parameter names to parameters, with at least one parameter',
      type: 'object',
      minProperties: 1,
      propertyNames: {
        pattern: PARAM_NAME_PATTERN,
        title: 'a parameter name (letters, digits and "_", not starting with a digit)',
      },
      additionalProperties: parameter,
    },
    objective: {
      type: 'object',
      additionalProperties: false,
      required: ['metric', 'direction'],
      properties: {
        metric: {
          type: 'string',
          pattern: METRIC_NAME_PATTERN,
          title: 'a metric name (a letter or "_", then letters, digits, "_", ".", "/" or "-"; not "step")',
        },
        direction: { enum: ['minimize', 'maximize'] },
      },
    },
    strategy: {
      anyOf: [
        pluginName,
        {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: { name: pluginName, options: { type: 'object', default: {} } },
        },
      ],
      default: { name: 'random', options: {} },
      title: 'a strategy name, or a mapping with fields name and options',
    },
    pruner: {
      anyOf: [
        pluginName,
        {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: { name: pluginName, options: { type: 'object', default: {} } },
        },
      ],
      title: 'a pruner name (median, asha, hyperband, or a plugin), or a mapping with fields name and options',
      description: 'Early stopping of unpromising trials from their intermediate metrics. Absent: no pruning.',
    },
    budget: {
      type: 'object',
      additionalProperties: false,
      required: ['maxTrials'],
      properties: {
        maxTrials: { type: 'integer', minimum: 1 },
        maxParallel: { type: 'integer', minimum: 1, description: 'Default: min(maxTrials, 4).' },
        gpuHours: {
          type: 'number',
          exclusiveMinimum: 0,
          description: 'GPU-hours (trial duration × gpus) the trials may use; no new trials once spent. Absent: no limit.',
        },
        deadline: {
          type: 'string',
          minLength: 1,
          title: 'a deadline: an ISO 8601 timestamp with a time zone (2026-05-01T18:00:00Z) or a duration after submission (90m, 12h, 2d, 1h30m, 3600s)',
          description: 'No new trials after this. Absent: none.',
        },
      },
    },
    priority: {
      enum: ['critical', 'standard', 'preemptible'],
      default: 'standard',
      description: 'Scheduling class of the trials; the tenant quota lists the classes it may use.',
    },
    trial: {
      type: 'object',
      additionalProperties: false,
      required: ['command'],
      properties: {
        command: {
          anyOf: [
            { type: 'string', minLength: 1 },
            { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
          ],
          title: 'a command: a shell string (run with /bin/sh -c) or a non-empty list of arguments',
          description:
            'Arguments may hold placeholders: {param} (a parameter), {seed}, {trial.index}, {trial.id}, {experiment.id} (other braces are literal; {{ and }} for a literal {name}). An argument with a placeholder of an inactive conditional parameter is left out.',
        },
        env: {
          type: 'object',
          default: {},
          propertyNames: {
            pattern: ENV_NAME_PATTERN,
            title: 'an environment variable name (letters, digits and "_", not starting with a digit, not starting with the reserved FAIRSWEEP_)',
          },
          additionalProperties: { type: 'string', title: 'a string (quote numbers and booleans in YAML)' },
        },
        resources: {
          type: 'object',
          additionalProperties: false,
          properties: {
            cpus: { type: 'number', exclusiveMinimum: 0, default: 1 },
            gpus: { type: 'integer', minimum: 0, default: 0 },
            memoryMb: { type: 'integer', minimum: 1, default: 512 },
            gpuType: {
              anyOf: [gpuType, { type: 'array', minItems: 1, maxItems: MAX_GPU_TYPES, uniqueItems: true, items: gpuType }],
              title: `a GPU type (${GPU_TYPE_RULE}), or a list of 1-${MAX_GPU_TYPES} different GPU types in order of preference`,
              description:
                'The GPU type (flavor) the trial needs, as pools declare it (e.g. h100, a100-80gb), or a list of types any of which will do, most preferred first: a pool of a later type takes the trial when no live pool of an earlier type has room for it now, or once it has waited a minute. Only with gpus > 0. Absent: any pool.',
            },
          },
        },
        executor: { ...pluginName, default: 'local' },
        maxRuntimeSeconds: { type: ['number', 'null'], exclusiveMinimum: 0, default: null },
      },
    },
  },
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
