import { validDocument } from '../testing-internal/spec-fixtures.js';
import { validateSpec } from './spec.validate.js';

type Doc = ReturnType<typeof validDocument>;
type Case = [title: string, change: (doc: Doc) => void, path: string, message: string | RegExp];

const rejected: Case[] = [
  ['unknown top-level field, with the allowed ones', (d) => (d.owner = 'me'), 'owner',
    'unknown field "owner"; allowed fields: apiVersion, kind, extends, name, description, project, seed, searchSpace, objective, strategy, pruner, budget, priority, trial'],
  ['unknown field with a suggestion', (d) => (d.budget.maxTrial = 3), 'budget.maxTrial', /unknown field "maxTrial" \(did you mean "maxTrials"\?\); allowed fields: maxTrials, maxParallel/],
  ['unknown field in a parameter', (d) => (d.searchSpace.lr.scale = 'log'), 'searchSpace.lr.scale', /unknown field "scale"; allowed fields: type, low, high, log, when$/],
  ['unknown field in an int parameter lists step', (d) => (d.searchSpace.layers.q = 1), 'searchSpace.layers.q', /allowed fields: type, low, high, step, log, when$/],
  ['unknown field in resources', (d) => (d.trial.resources = { gpu: 1 }), 'trial.resources.gpu', /did you mean "gpus"\?\); allowed fields: cpus, gpus, memoryMb/],
  ['unknown field in strategy', (d) => (d.strategy = { name: 'random', opts: {} }), 'strategy.opts', /allowed fields: name, options/],
  ['unknown field in objective', (d) => (d.objective.goal = 'min'), 'objective.goal', /allowed fields: metric, direction/],
  ['wrong apiVersion', (d) => (d.apiVersion = 'fairsweep/v2'), 'apiVersion', 'must be "fairsweep/v1", got string "fairsweep/v2"'],
  ['missing apiVersion', (d) => delete d.apiVersion, 'apiVersion', 'is required ("fairsweep/v1")'],
  ['wrong kind', (d) => (d.kind = 'Job'), 'kind', 'must be "Experiment", got string "Job"'],
  ['missing objective', (d) => delete d.objective, 'objective', 'is required (a mapping with fields metric, direction)'],
  ['missing objective direction', (d) => delete d.objective.direction, 'objective.direction', 'is required (one of "minimize", "maximize")'],
  ['bad direction', (d) => (d.objective.direction = 'min'), 'objective.direction', 'must be one of "minimize", "maximize", got string "min"'],
  ['reserved metric name step', (d) => (d.objective.metric = 'step'), 'objective.metric', /must be a metric name .*not "step"/],
  ['maxTrials as a word', (d) => (d.budget.maxTrials = 'ten'), 'budget.maxTrials', 'must be an integer >= 1, got string "ten"'],
  ['maxTrials zero', (d) => (d.budget.maxTrials = 0), 'budget.maxTrials', 'must be an integer >= 1, got number 0'],
  ['maxTrials fractional', (d) => (d.budget.maxTrials = 2.5), 'budget.maxTrials', 'must be an integer >= 1, got number 2.5'],
  ['missing maxTrials', (d) => (d.budget = {}), 'budget.maxTrials', 'is required (an integer >= 1)'],
  ['maxParallel zero', (d) => (d.budget.maxParallel = 0), 'budget.maxParallel', 'must be an integer >= 1, got number 0'],
  ['missing budget', (d) => delete d.budget, 'budget', 'is required (a mapping with fields maxTrials, maxParallel, gpuHours, deadline)'],
  ['empty name', (d) => (d.name = ''), 'name', 'must be a name of 1 to 100 characters, not all blank, got string ""'],
  ['blank name', (d) => (d.name = '   '), 'name', /must be a name of 1 to 100 characters/],
  ['long name', (d) => (d.name = 'x'.repeat(101)), 'name', /must be a name of 1 to 100 characters/],
  ['bad project slug', (d) => (d.project = 'My Project'), 'project', /must be null or a project slug/],
  ['seed too large', (d) => (d.seed = 2 ** 32), 'seed', 'must be an integer between 0 and 4294967295, got number 4294967296'],
  ['negative seed', (d) => (d.seed = -1), 'seed', /must be an integer between 0 and 4294967295/],
  ['empty search space', (d) => (d.searchSpace = {}), 'searchSpace', /with at least one parameter, got an empty mapping/],
  ['bad parameter name', (d) => (d.searchSpace['learning-rate'] = d.searchSpace.lr), 'searchSpace.learning-rate', /invalid name "learning-rate": must be a parameter name/],
  ['parameter names differing only in case', (d) => (d.searchSpace.LR = { type: 'float', low: 0, high: 1 }), 'searchSpace.LR', /clashes with parameter "lr".*FAIRSWEEP_PARAM_LR/],
  ['parameter that is not a mapping', (d) => (d.searchSpace.lr = 0.1), 'searchSpace.lr', /must be a parameter \(a mapping with type "float", "int" or "categorical"\), got number 0.1/],
  ['unknown parameter type', (d) => (d.searchSpace.lr.type = 'double'), 'searchSpace.lr.type', 'must be one of "float", "int", "categorical", got string "double"'],
  ['missing parameter type', (d) => delete d.searchSpace.lr.type, 'searchSpace.lr.type', /is required \(one of "float", "int", "categorical"\)/],
  ['float without high', (d) => delete d.searchSpace.lr.high, 'searchSpace.lr.high', 'is required (a number)'],
  ['float bound as a string', (d) => (d.searchSpace.lr.low = '1e-5'), 'searchSpace.lr.low', 'must be a number, got string "1e-5"'],
  ['float low > high', (d) => (d.searchSpace.lr = { type: 'float', low: 1, high: 0.5 }), 'searchSpace.lr.high', 'must be greater than low (1), got 0.5'],
  ['float low == high', (d) => (d.searchSpace.lr = { type: 'float', low: 1, high: 1 }), 'searchSpace.lr.high', 'must be greater than low (1), got 1'],
  ['float range too wide', (d) => (d.searchSpace.lr = { type: 'float', low: -1e308, high: 1e308 }), 'searchSpace.lr.high', /must be a finite number; the range/],
  ['float log with low 0', (d) => (d.searchSpace.lr.low = 0), 'searchSpace.lr.low', 'must be > 0 when log is true (log scale needs positive bounds), got 0'],
  ['float log with negative low', (d) => (d.searchSpace.lr.low = -1), 'searchSpace.lr.low', /must be > 0 when log is true/],
  ['log as a string', (d) => (d.searchSpace.lr.log = 'yes'), 'searchSpace.lr.log', 'must be a boolean, got string "yes"'],
  ['int with float bound', (d) => (d.searchSpace.layers.high = 8.5), 'searchSpace.layers.high', 'must be an integer, got number 8.5'],
  ['int low > high', (d) => (d.searchSpace.layers = { type: 'int', low: 5, high: 4 }), 'searchSpace.layers.high', 'must be >= low (5), got 4'],
  ['int beyond safe range', (d) => (d.searchSpace.layers = { type: 'int', low: 0, high: 2 ** 60 }), 'searchSpace.layers.high', /must be an integer between -\(2\^53 - 1\) and 2\^53 - 1/],
  ['int step 0', (d) => (d.searchSpace.layers.step = 0), 'searchSpace.layers.step', 'must be an integer >= 1, got number 0'],
  ['int step that does not divide the range', (d) => (d.searchSpace.layers = { type: 'int', low: 1, high: 10, step: 2 }), 'searchSpace.layers.step',
    'must divide high - low (10 - 1 = 9), got 2: set high to 9 or 11, or use a step that divides 9'],
  ['int log with low 0', (d) => (d.searchSpace.layers = { type: 'int', low: 0, high: 8, log: true }), 'searchSpace.layers.low', /must be >= 1 when log is true/],
  ['int log with step', (d) => (d.searchSpace.layers = { type: 'int', low: 2, high: 8, step: 2, log: true }), 'searchSpace.layers.step', 'must be 1 when log is true, got 2'],
  ['empty choices', (d) => (d.searchSpace.optimizer.choices = []), 'searchSpace.optimizer.choices', /must be a list of at least 1 item, .*got an empty list/],
  ['duplicate choices', (d) => (d.searchSpace.optimizer.choices = ['adam', 'sgd', 'adam']), 'searchSpace.optimizer.choices', 'must not repeat a value: items [0] and [2] are both "adam"'],
  ['choices with a mapping', (d) => (d.searchSpace.optimizer.choices = ['adam', { a: 1 }]), 'searchSpace.optimizer.choices[1]', 'must be a number, a string or a boolean, got a mapping'],
  ['choices not a list', (d) => (d.searchSpace.optimizer.choices = 'adam'), 'searchSpace.optimizer.choices', /must be a list .*got string "adam"/],
  ['bad strategy name', (d) => (d.strategy = 'Random Search'), 'strategy', /must be a plugin name/],
  ['strategy options not a mapping', (d) => (d.strategy = { name: 'tpe', options: [1] }), 'strategy.options', 'must be a mapping, got a list'],
  ['strategy options with a non-finite number', (d) => (d.strategy = { name: 'tpe', options: { gamma: Infinity } }), 'strategy.options.gamma', 'must be a finite number, got Infinity'],
  ['strategy of another type', (d) => (d.strategy = 3), 'strategy', 'must be a strategy name, or a mapping with fields name and options, got number 3'],
  ['missing trial command', (d) => (d.trial = {}), 'trial.command', /is required \(a command: a shell string/],
  ['empty command list', (d) => (d.trial.command = []), 'trial.command', /must be a list of at least 1 item/],
  ['empty command string', (d) => (d.trial.command = ''), 'trial.command', 'must be a non-empty string, got string ""'],
  ['command with a number', (d) => (d.trial.command = ['python', 3]), 'trial.command[1]', 'must be a non-empty string, got number 3'],
  ['command of another type', (d) => (d.trial.command = 3), 'trial.command', /must be a command: a shell string \(run with \/bin\/sh -c\) or a non-empty list of arguments, got number 3/],
  ['env value not a string', (d) => (d.trial.env = { EPOCHS: 10 }), 'trial.env.EPOCHS', 'must be a string (quote numbers and booleans in YAML), got number 10'],
  ['env name reserved', (d) => (d.trial.env = { FAIRSWEEP_SEED: '1' }), 'trial.env.FAIRSWEEP_SEED', /invalid name "FAIRSWEEP_SEED": .*reserved FAIRSWEEP_/],
  ['cpus zero', (d) => (d.trial.resources = { cpus: 0 }), 'trial.resources.cpus', 'must be a number > 0, got number 0'],
  ['gpus fractional', (d) => (d.trial.resources = { gpus: 0.5 }), 'trial.resources.gpus', 'must be an integer >= 0, got number 0.5'],
  ['memory zero', (d) => (d.trial.resources = { memoryMb: 0 }), 'trial.resources.memoryMb', 'must be an integer >= 1, got number 0'],
  ['maxRuntimeSeconds zero', (d) => (d.trial.maxRuntimeSeconds = 0), 'trial.maxRuntimeSeconds', 'must be a number > 0 or null, got number 0'],
  ['bad executor name', (d) => (d.trial.executor = 'Slurm!'), 'trial.executor', /must be a plugin name/],
  // conditional parameters
  ['condition on an unknown parent', (d) => (d.searchSpace.momentum = { type: 'float', low: 0.5, high: 0.99, when: { optimiser: 'sgd' } }), 'searchSpace.momentum.when.optimiser',
    'unknown parameter "optimiser" (did you mean "optimizer"?); parameters: lr, layers, optimizer, momentum'],
  ['condition value not among the choices', (d) => (d.searchSpace.momentum = { type: 'float', low: 0.5, high: 0.99, when: { optimizer: ['sgd', 'sgdd'] } }), 'searchSpace.momentum.when.optimizer[1]',
    '"sgdd" is not one of the choices of "optimizer" ("adam", "sgd"), so this part of the condition can never hold'],
  ['condition value off an int parent grid', (d) => (d.searchSpace.wide = { type: 'categorical', choices: [true, false], when: { layers: [3] } }), 'searchSpace.wide.when.layers[0]',
    '3 is not a value "layers" can take (an integer from 2 to 8 in steps of 2), so this part of the condition can never hold'],
  ['condition on a float parent', (d) => (d.searchSpace.momentum = { type: 'float', low: 0.5, high: 0.99, when: { lr: 0.1 } }), 'searchSpace.momentum.when.lr',
    '"lr" is a float parameter; a condition\'s parent must be a categorical or int parameter'],
  ['condition on itself', (d) => (d.searchSpace.optimizer.when = { optimizer: 'sgd' }), 'searchSpace.optimizer.when.optimizer', 'a parameter cannot depend on itself'],
  ['condition cycle', (d) => {
    d.searchSpace.a = { type: 'categorical', choices: [1, 2], when: { b: 1 } };
    d.searchSpace.b = { type: 'categorical', choices: [1, 2], when: { c: 1 } };
    d.searchSpace.c = { type: 'categorical', choices: [1, 2], when: { a: 2 } };
  }, 'searchSpace.a.when.b', 'conditions form a cycle: a → b → c → a (each depends on the next); a parent cannot depend on its own child'],
  ['condition that can never hold', (d) => {
    d.searchSpace.momentum = { type: 'float', low: 0.5, high: 0.99, when: { optimizer: 'sgd' } };
    d.searchSpace.nesterov = { type: 'categorical', choices: [true, false], when: { momentum: 0.9 } };
  }, 'searchSpace.nesterov.when.momentum', /"momentum" is a float parameter/],
  ['nested condition that can never hold', (d) => {
    d.searchSpace.momentum = { type: 'categorical', choices: [0.9, 0.99], when: { optimizer: 'sgd' } };
    d.searchSpace.nesterov = { type: 'categorical', choices: [true, false], when: { momentum: 0.9, optimizer: 'adam' } };
  }, 'searchSpace.nesterov.when',
    'can never be active: its own condition needs "optimizer" in ["adam"], but the condition of "momentum" (an ancestor) needs "optimizer" in ["sgd"]'],
  ['empty condition', (d) => (d.searchSpace.lr.when = {}), 'searchSpace.lr.when', /must be a condition: a mapping of parent parameter names/],
  ['condition with an empty list', (d) => (d.searchSpace.lr.when = { optimizer: [] }), 'searchSpace.lr.when.optimizer', /must be a list of at least 1 item|must be a parent value/],
  // placeholders in the command
  ['unknown placeholder', (d) => (d.trial.command = ['python', 'train.py', '--lr={lrr}']), 'trial.command[2]',
    'unknown placeholder {lrr} (did you mean {lr}?); allowed: {layers}, {lr}, {optimizer}, {seed}, {trial.seed}, {trial.index}, {trial.id}, {experiment.id} (write {{ and }} for a literal {name})'],
  ['unknown placeholder in a shell command', (d) => (d.trial.command = 'python train.py --out "$OUT/{trial.idx}"'), 'trial.command',
    /^unknown placeholder \{trial\.idx\} \(did you mean \{trial\.id\}\?\)/],
  ['ambiguous {seed}', (d) => { d.searchSpace.seed = { type: 'int', low: 0, high: 3 }; d.trial.command = ['run', '{seed}']; }, 'trial.command[1]', /placeholder \{seed\} is ambiguous/],
  ['conditional placeholder in a shell script', (d) => {
    d.searchSpace.momentum = { type: 'float', low: 0.5, high: 0.99, when: { optimizer: 'sgd' } };
    d.trial.command = 'python train.py --momentum {momentum}';
  }, 'trial.command', /\{momentum\} is a conditional parameter \(active when optimizer in \["sgd"\]\).*the whole shell script.*FAIRSWEEP_PARAM_MOMENTUM/],
  // budgets
  ['gpuHours zero', (d) => (d.budget.gpuHours = 0), 'budget.gpuHours', 'must be a number > 0, got number 0'],
  ['deadline in words', (d) => (d.budget.deadline = 'tomorrow'), 'budget.deadline', /must be an ISO 8601 timestamp with a time zone .* got "tomorrow"/],
  ['deadline without a time zone', (d) => (d.budget.deadline = '2026-05-01T18:00:00'), 'budget.deadline', /must be an ISO 8601 timestamp with a time zone/],
  ['deadline on a day that does not exist', (d) => (d.budget.deadline = '2026-02-30T18:00:00Z'), 'budget.deadline', 'must be a real date and time, got "2026-02-30T18:00:00Z"'],
  ['zero duration', (d) => (d.budget.deadline = '0h'), 'budget.deadline', 'must be a duration longer than 0, got "0h"'],
  // templates
  ['unresolved extends', (d) => (d.extends = 'team-base@2'), 'extends', /template "team-base@2" must be resolved before the spec is normalised/],
  ['bad template reference', (d) => (d.extends = 'Team Base'), 'extends', /must be a template reference/],
];

describe('validateSpec rejects, naming the field and what is allowed', () => {
  it.each(rejected)('%s', (_title, change, path, message) => {
    const doc = validDocument();
    change(doc);
    const issues = validateSpec(doc);
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe(path);
    if (typeof message === 'string') expect(issues[0].message).toBe(message);
    else expect(issues[0].message).toMatch(message);
  });
});

const accepted: [title: string, change: (doc: Doc) => void][] = [
  ['the base document', () => undefined],
  ['maxParallel above maxTrials', (d) => (d.budget = { maxTrials: 2, maxParallel: 8 })],
  ['int with low == high', (d) => (d.searchSpace.layers = { type: 'int', low: 3, high: 3 })],
  ['int log from 1', (d) => (d.searchSpace.layers = { type: 'int', low: 1, high: 1024, log: true })],
  ['float with negative bounds', (d) => (d.searchSpace.lr = { type: 'float', low: -2, high: -1 })],
  ['mixed-type choices', (d) => (d.searchSpace.optimizer.choices = [1, '1', true, 0.5])],
  ['a shell command string', (d) => (d.trial.command = 'python train.py --epochs 3')],
  ['a strategy given by name', (d) => (d.strategy = 'tpe')],
  ['a strategy with free-form options', (d) => (d.strategy = { name: 'tpe', options: { gamma: 0.25, nested: { a: [1, 'x'] } } })],
  ['no seed', (d) => delete d.seed],
  ['no kind', (d) => delete d.kind],
  ['null project and runtime', (d) => Object.assign(d, { project: null, trial: { ...d.trial, maxRuntimeSeconds: null } })],
  ['a project slug', (d) => (d.project = 'vision-team-1')],
  ['everything set', (d) => Object.assign(d, {
    description: 'all fields',
    trial: { command: ['x'], env: { A: '1' }, resources: { cpus: 0.5, gpus: 2, memoryMb: 1024 }, executor: 'slurm', maxRuntimeSeconds: 3600 },
  })],
];

describe('validateSpec accepts', () => {
  it.each(accepted)('%s', (_title, change) => {
    const doc = validDocument();
    change(doc);
    expect(validateSpec(doc)).toEqual([]);
  });
});

describe('validateSpec reports every problem at once', () => {
  it('lists issues from structure and semantics together', () => {
    const doc = validDocument();
    doc.extra = true;
    doc.budget.maxTrials = 'ten';
    doc.searchSpace.lr.low = 0;
    doc.searchSpace.layers = { type: 'int', low: 1, high: 10, step: 2 };
    expect(validateSpec(doc).map((i) => i.path).sort()).toEqual(
      ['budget.maxTrials', 'extra', 'searchSpace.layers.step', 'searchSpace.lr.low'],
    );
  });

  it('does not run semantic checks on a parameter whose structure is wrong', () => {
    const doc = validDocument();
    doc.searchSpace.lr = { type: 'float', low: 'a', high: -1, log: true };
    expect(validateSpec(doc)).toEqual([{ path: 'searchSpace.lr.low', message: 'must be a number, got string "a"' }]);
  });

  it.each([null, 3, 'spec', [1]])('rejects a document that is not a mapping: %p', (value) => {
    const issues = validateSpec(value);
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe('');
    expect(issues[0].message).toMatch(/^must be a mapping \(an experiment spec/);
  });
});
