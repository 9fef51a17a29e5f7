import { describeCondition } from './spec.conditions.js';
import { closestName } from './spec.describe.js';
import { joinPath, type SpecIssue } from './spec.error.js';
import type { ParamCondition, ParamValue, ParamValues } from './spec.types.js';

/**
 * Placeholders in `trial.command` arguments: `{lr}` (a parameter; `{params.lr}` also works),
 * `{seed}` (the trial seed; also `{trial.seed}`), `{trial.index}`, `{trial.id}`,
 * `{experiment.id}`. Any other brace is literal (see parseArgumentTemplate); `{{` and `}}` are
 * literal braces, for a literal `{name}`.
 * An argument that holds a placeholder of an inactive conditional parameter is left out.
 */

/** Built-in placeholder names, besides the parameters. */
export const COMMAND_PLACEHOLDERS = ['seed', 'trial.seed', 'trial.index', 'trial.id', 'experiment.id'] as const;

/** Who the trial is, for `{trial.index}`, `{trial.id}` and `{experiment.id}`. */
export interface TrialIdentity {
  trialIndex: number;
  trialId?: string;
  experimentId?: string;
}

type Piece = { text: string } | { name: string };

const PLACEHOLDER_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?$/;

/**
 * An argument split into literal text and placeholder names. A placeholder is `{name}` or
 * `{scope.name}` (letters, digits, "_"), not preceded by "$"; every other brace is literal text,
 * so shell (`${HOME}`, `{1..3}`), awk (`'{print $1}'`), JSON and inline scripts need no escaping.
 * `{{` and `}}` are literal braces too, for a literal `{name}`.
 */
export function parseArgumentTemplate(arg: string): Piece[] {
  const pieces: Piece[] = [];
  let text = '';
  for (let i = 0; i < arg.length; i++) {
    const c = arg[i];
    if ((c === '{' && arg[i + 1] === '{') || (c === '}' && arg[i + 1] === '}')) {
      text += c;
      i++;
      continue;
    }
    if (c === '{' && arg[i - 1] !== '$') {
      const end = arg.indexOf('}', i + 1);
      const name = end < 0 ? '' : arg.slice(i + 1, end);
      if (end >= 0 && PLACEHOLDER_NAME.test(name)) {
        if (text) pieces.push({ text });
        text = '';
        pieces.push({ name });
        i = end;
        continue;
      }
    }
    text += c;
  }
  if (text || pieces.length === 0) pieces.push({ text });
  return pieces;
}

/** The parameter a placeholder name refers to, or undefined for a built-in (or unknown) name. */
function parameterOf(name: string, parameters: ReadonlySet<string>): string | undefined {
  if (name.startsWith('params.')) return name.slice('params.'.length);
  if ((COMMAND_PLACEHOLDERS as readonly string[]).includes(name)) return undefined;
  return parameters.has(name) ? name : undefined;
}

/**
 * Problems with the placeholders of a command (the document's form: a shell string or a list):
 * unknown names (with the allowed ones), `{seed}` when a parameter is also called
 * `seed`, and placeholders of conditional parameters where leaving the argument out would break
 * the command (the program itself, or a `sh -c` script).
 */
export function commandIssues(command: string | readonly string[], parameters: Record<string, { when?: unknown }>): SpecIssue[] {
  const argv = typeof command === 'string' ? ['/bin/sh', '-c', command] : command;
  const names = new Set(Object.keys(parameters));
  const allowed = [...[...names].sort(), ...COMMAND_PLACEHOLDERS];
  const issues: SpecIssue[] = [];
  argv.forEach((arg, index) => {
    const path = typeof command === 'string' ? 'trial.command' : joinPath('trial.command', index);
    let pieces: Piece[];
    try {
      pieces = parseArgumentTemplate(arg);
    } catch (error) {
      issues.push({ path, message: (error as Error).message });
      return;
    }
    for (const piece of pieces) {
      if (!('name' in piece)) continue;
      const { name } = piece;
      const param = parameterOf(name, names);
      if (param === undefined && (COMMAND_PLACEHOLDERS as readonly string[]).includes(name)) {
        if (name === 'seed' && names.has('seed')) {
          issues.push({ path, message: `placeholder {seed} is ambiguous: there is a parameter named "seed"; write {params.seed} for the parameter or {trial.seed} for the trial seed` });
        }
        continue;
      }
      if (param === undefined || !names.has(param)) {
        const hint = closestName(param ?? name, allowed);
        issues.push({
          path,
          message: `unknown placeholder {${name}}${hint ? ` (did you mean {${hint}}?)` : ''}; allowed: ${allowed.map((n) => `{${n}}`).join(', ')} (write {{ and }} for a literal {name})`,
        });
        continue;
      }
      const spec = parameters[param] as { when?: unknown } | null;
      const when = spec !== null && typeof spec === 'object' ? spec.when : undefined;
      const shellScript = index === 2 && argv[1] === '-c';
      if (when !== undefined && (index === 0 || shellScript)) {
        issues.push({
          path,
          message: `{${name}} is a conditional parameter (active when ${describeCondition(when as ParamCondition)}); an argument holding it is left out when it is inactive, which would remove ${index === 0 ? 'the program itself' : 'the whole shell script'}: use the list form of command with one argument per flag, or read $FAIRSWEEP_PARAM_${param.toUpperCase()}`,
        });
      }
    }
  });
  return issues;
}

/**
 * The argv of one trial: every placeholder filled in (numbers in their shortest round-trip form,
 * booleans as `true`/`false`). An argument holding a placeholder of a parameter that is absent
 * from `params` (an inactive conditional parameter) is left out. Pure; throws only for a
 * placeholder whose value was not given (`{trial.id}` without `identity.trialId`); a command
 * that passed validation has none.
 */
export function renderCommand(command: readonly string[], params: ParamValues, seed: number, identity: TrialIdentity): string[] {
  const builtins: Record<string, string | undefined> = {
    seed: String(seed),
    'trial.seed': String(seed),
    'trial.index': String(identity.trialIndex),
    'trial.id': identity.trialId,
    'experiment.id': identity.experimentId,
  };
  const out: string[] = [];
  for (const arg of command) {
    let rendered = '';
    let dropped = false;
    for (const piece of parseArgumentTemplate(arg)) {
      if ('text' in piece) {
        rendered += piece.text;
        continue;
      }
      const param = piece.name.startsWith('params.') ? piece.name.slice('params.'.length) : Object.hasOwn(builtins, piece.name) ? undefined : piece.name;
      if (param === undefined) {
        const value = builtins[piece.name];
        if (value === undefined) throw new Error(`renderCommand: no value for {${piece.name}} (pass it in the trial identity)`);
        rendered += value;
      } else if (Object.hasOwn(params, param)) rendered += formatValue(params[param]);
      else dropped = true;
    }
    if (!dropped) out.push(rendered);
  }
  return out;
}

function formatValue(value: ParamValue): string {
  return typeof value === 'string' ? value : String(value);
}
