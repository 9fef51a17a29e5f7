import { validDocument } from '../testing-internal/spec-fixtures.js';
import { createRng } from '../random/rng.js';
import { sampleParameter } from '../random/sample.js';
import { checkParamValues } from './param-values.js';
import { deadlineAt, parseDeadline } from './spec.budget.js';
import { renderCommand } from './spec.command.js';
import { activeParameters, buildConfiguration, parameterOrder } from './spec.conditions.js';
import { specHash } from './spec.hash.js';
import { normalizeSpec } from './spec.normalize.js';
import { parseSpec } from './spec.parse.js';
import { mergeSpecTemplate, parseTemplateRef, templateIssues } from './spec.template.js';

const CONDITIONAL_YAML = `
apiVersion: fairsweep/v1
name: conditional
seed: 1
searchSpace:
  optimizer: { type: categorical, choices: [adam, sgd, rmsprop] }
  momentum:  { type: float, low: 0.5, high: 0.99, when: { optimizer: [rmsprop, sgd] } }
  nesterov:  { type: categorical, choices: [true, false], when: { optimizer: sgd } }
  dampening: { type: float, low: 0, high: 0.5, when: { nesterov: [false] } }
  lr:        { type: float, low: 1.0e-5, high: 1.0e-1, log: true }
objective: { metric: loss, direction: minimize }
budget: { maxTrials: 10, gpuHours: 2.5, deadline: 1h30m }
trial:
  command: [python, train.py, "--lr={lr}", "--momentum={momentum}", "--seed={seed}", "--out=run-{trial.index}", "--cfg={{x}}"]
`;

describe('conditional parameters', () => {
  const spec = parseSpec(CONDITIONAL_YAML);

  it('normalises a condition to lists in the parent\'s order, and leaves `when` out of unconditional parameters', () => {
    expect(spec.searchSpace.momentum.when).toEqual({ optimizer: ['sgd', 'rmsprop'] });
    expect(spec.searchSpace.nesterov.when).toEqual({ optimizer: ['sgd'] });
    expect('when' in spec.searchSpace.lr).toBe(false);
    expect(normalizeSpec(spec)).toEqual(spec);
  });

  it('keeps the hash of a spec that does not use conditions, placeholders or budgets', () => {
    // Recorded before conditions existed: optional fields that are off must not change it.
    expect(specHash(normalizeSpec(validDocument()))).toBe(VALID_DOCUMENT_HASH);
  });

  it('orders parents before children, ties by name', () => {
    expect(parameterOrder(spec.searchSpace)).toEqual(['lr', 'optimizer', 'momentum', 'nesterov', 'dampening']);
    expect(parameterOrder(normalizeSpec(validDocument()).searchSpace)).toEqual(['layers', 'lr', 'optimizer']);
  });

  it('builds configurations with exactly the active parameters, nested conditions included', () => {
    const rng = createRng(7, 'test');
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const params = buildConfiguration(spec.searchSpace, (name) => sampleParameter(spec.searchSpace[name], rng));
      expect(checkParamValues(spec.searchSpace, params)).toEqual([]);
      seen.add(activeParameters(spec.searchSpace, params).join(','));
    }
    expect([...seen].sort()).toEqual([
      'lr,optimizer',
      'lr,optimizer,momentum',
      'lr,optimizer,momentum,nesterov',
      'lr,optimizer,momentum,nesterov,dampening',
    ]);
  });

  it('reports inactive parameters that are present and active ones that are missing', () => {
    expect(checkParamValues(spec.searchSpace, { optimizer: 'adam', lr: 0.01, momentum: 0.9 })).toEqual([
      'momentum: present, but inactive (it is active only when optimizer in ["sgd","rmsprop"])',
    ]);
    expect(checkParamValues(spec.searchSpace, { optimizer: 'sgd', lr: 0.01, nesterov: false })).toEqual(['momentum: missing', 'dampening: missing']);
  });
});

describe('renderCommand', () => {
  const spec = parseSpec(CONDITIONAL_YAML);
  const identity = { trialIndex: 7, trialId: 't-1', experimentId: 'e-1' };

  it('fills in parameters, the seed and the trial identity, and unescapes doubled braces', () => {
    expect(renderCommand(spec.trial.command, { optimizer: 'sgd', momentum: 0.9, nesterov: true, lr: 1e-7 }, 123, identity)).toEqual([
      'python', 'train.py', '--lr=1e-7', '--momentum=0.9', '--seed=123', '--out=run-7', '--cfg={x}',
    ]);
  });

  it('leaves out an argument holding an inactive parameter', () => {
    expect(renderCommand(spec.trial.command, { optimizer: 'adam', lr: 0.001 }, 5, identity)).toEqual([
      'python', 'train.py', '--lr=0.001', '--seed=5', '--out=run-7', '--cfg={x}',
    ]);
  });

  it('renders booleans, strings and explicit forms', () => {
    expect(renderCommand(['{params.b}', '{s}/{trial.seed}', '{experiment.id}:{trial.id}'], { b: false, s: 'a b' }, 9, identity)).toEqual(['false', 'a b/9', 'e-1:t-1']);
    // Braces that are not placeholders stay as they are: shell variables and brace expansion,
    // awk, JSON, inline scripts; {{ and }} still make a literal {name}.
    const literal = ['${HOME}/data/{1..3}', "awk '{print $1}'", '--cfg={"a": 1}', "process.on('SIGTERM', () => { process.exit(143); })", 'a}', '{{lr}}={lr}'];
    expect(renderCommand(literal, { lr: 0.5 }, 1, identity)).toEqual([
      '${HOME}/data/{1..3}', "awk '{print $1}'", '--cfg={"a": 1}', "process.on('SIGTERM', () => { process.exit(143); })", 'a}', '{lr}=0.5',
    ]);
  });

  it('refuses a placeholder it has no value for', () => {
    expect(() => renderCommand(['{trial.id}'], {}, 1, { trialIndex: 0 })).toThrow('renderCommand: no value for {trial.id}');
  });
});

describe('budget.deadline', () => {
  it('normalises timestamps to UTC and durations to seconds', () => {
    const spec = parseSpec(CONDITIONAL_YAML);
    expect(spec.budget).toEqual({ maxTrials: 10, maxParallel: 4, gpuHours: 2.5, deadline: '5400s' });
    const at = normalizeSpec({ ...validDocument(), budget: { maxTrials: 1, deadline: '2030-06-30T20:00:00+02:00' } }).budget.deadline;
    expect(at).toBe('2030-06-30T18:00:00.000Z');
  });

  it('resolves a duration against the submission time', () => {
    const submitted = new Date('2030-01-01T00:00:00Z');
    expect(deadlineAt('5400s', submitted)?.toISOString()).toBe('2030-01-01T01:30:00.000Z');
    expect(deadlineAt('2030-06-30T18:00:00.000Z', submitted)?.toISOString()).toBe('2030-06-30T18:00:00.000Z');
    expect(deadlineAt(undefined, submitted)).toBeNull();
    expect(parseDeadline('2d')).toEqual({ kind: 'duration', seconds: 172800 });
  });
});

describe('templates', () => {
  const template = {
    searchSpace: { lr: { type: 'float', low: 1e-5, high: 1, log: true }, layers: { type: 'int', low: 2, high: 8, step: 2 } },
    objective: { metric: 'val/loss', direction: 'minimize' },
    strategy: { name: 'tpe', options: { nStartupTrials: 5, multivariate: true } },
    budget: { maxTrials: 50, maxParallel: 8 },
    trial: { command: ['python', 'train.py'], env: { A: '1', B: '2' }, resources: { gpus: 1, memoryMb: 4096 } },
  };

  it('merges: the spec wins, mappings merge deeply, lists and parameters replace', () => {
    const merged = mergeSpecTemplate(template, {
      apiVersion: 'fairsweep/v1',
      extends: 'team-base@2',
      name: 'mine',
      searchSpace: { layers: { type: 'float', low: 0, high: 1 } },
      strategy: { name: 'tpe', options: { multivariate: false } },
      budget: { maxTrials: 20 },
      trial: { command: ['python', 'other.py'], env: { B: 'x' } },
    });
    expect(merged).toEqual({
      apiVersion: 'fairsweep/v1',
      name: 'mine',
      searchSpace: { lr: template.searchSpace.lr, layers: { type: 'float', low: 0, high: 1 } },
      objective: template.objective,
      strategy: { name: 'tpe', options: { nStartupTrials: 5, multivariate: false } },
      budget: { maxTrials: 20, maxParallel: 8 },
      trial: { command: ['python', 'other.py'], env: { A: '1', B: 'x' }, resources: { gpus: 1, memoryMb: 4096 } },
    });
    expect(() => normalizeSpec(merged)).not.toThrow();
    expect(template.trial.env).toEqual({ A: '1', B: '2' }); // inputs untouched
  });

  it('parses references', () => {
    expect(parseTemplateRef('team-base')).toEqual({ name: 'team-base', version: null });
    expect(parseTemplateRef('team-base@12')).toEqual({ name: 'team-base', version: 12 });
  });

  it('validates a template as a partial spec', () => {
    expect(templateIssues(template)).toEqual([]);
    expect(templateIssues({ trial: { resources: { gpus: 1 } } })).toEqual([]);
    expect(templateIssues({ extends: 'other', budget: { maxTrials: 0 } })).toEqual([
      { path: 'extends', message: 'a template cannot extend another template' },
      { path: 'budget.maxTrials', message: 'must be an integer >= 1, got number 0' },
    ]);
    expect(templateIssues([1])).toEqual([{ path: '', message: 'must be a mapping (a partial experiment spec)' }]);
  });

  it('accepts a spec with extends but without the fields its template gives, in the published schema', () => {
    expect(() => parseSpec('apiVersion: fairsweep/v1\nextends: team-base\nname: x\n')).toThrow(/extends: template "team-base" must be resolved/);
  });
});

// From the build before conditions, placeholders and budgets existed.
const VALID_DOCUMENT_HASH = '8418784dc52cbc496e7833dd368adca911f1caae54cbcc04a56bd53174445946';
