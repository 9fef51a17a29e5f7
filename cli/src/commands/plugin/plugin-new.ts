import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CliError } from '../../client.js';
import { templateFiles, type PluginKind } from './plugin-templates.js';

const KINDS: readonly PluginKind[] = ['strategy', 'pruner', 'executor'];
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;
const PLUGIN_NAME = /^[a-z][a-z0-9-]{0,63}$/;

export interface PluginNewPlan {
  kind: PluginKind;
  packageName: string;
  pluginName: string;
  dir: string;
}

/**
 * Checks the arguments of `plugin new` and decides what to write where. The package name is any
 * valid npm name (scoped or not); the plugin's own name is its last segment without a
 * `fairsweep-` or `<kind>-` prefix, and must be what a spec may write (`^[a-z][a-z0-9-]{0,63}$`).
 */
export function planPlugin(kind: string, name: string, dir: string | undefined, cwd = process.cwd()): PluginNewPlan {
  if (!KINDS.includes(kind as PluginKind)) throw new CliError(`--kind must be one of ${KINDS.join(', ')}, got ${JSON.stringify(kind)}`, 2);
  if (name.length > 214 || !PACKAGE_NAME.test(name)) {
    throw new CliError(`invalid plugin package name ${JSON.stringify(name)}: use lower-case letters, digits, "-", "." and "_", optionally scoped (@acme/${kind}-example)`, 2);
  }
  const last = name.slice(name.lastIndexOf('/') + 1);
  const pluginName = last.replace(/^fairsweep-/, '').replace(new RegExp(`^${kind}-`), '');
  if (!PLUGIN_NAME.test(pluginName)) {
    throw new CliError(`invalid plugin name ${JSON.stringify(pluginName)} (from ${JSON.stringify(name)}): a spec names plugins with a lower-case letter followed by up to 63 letters, digits or "-"`, 2);
  }
  const target = resolve(cwd, dir ?? last);
  if (existsSync(target)) throw new CliError(`${target} already exists; refusing to overwrite it (choose another --dir)`, 2);
  return { kind: kind as PluginKind, packageName: name, pluginName, dir: target };
}

/** Writes the package; returns the files written, relative to its directory. */
export function writePlugin(plan: PluginNewPlan, sdkVersion: string): string[] {
  const files = templateFiles({ kind: plan.kind, packageName: plan.packageName, pluginName: plan.pluginName, sdkVersion });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(plan.dir, path)), { recursive: true });
    writeFileSync(join(plan.dir, path), text, { flag: 'wx' });
  }
  return Object.keys(files);
}

/** `fairsweep plugin new --kind strategy|pruner|executor <name> [--dir <path>]` */
export function pluginNewCommand(name: string, opts: { kind: string; dir?: string }): void {
  const plan = planPlugin(opts.kind, name, opts.dir);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdkVersion = (require('@fairsweep/sdk/package.json') as { version: string }).version;
  const files = writePlugin(plan, sdkVersion);
  process.stdout.write(`created ${plan.kind} plugin "${plan.pluginName}" (${plan.packageName}) in ${plan.dir}\n${files.map((f) => `  ${f}`).join('\n')}\n`
    + `next: cd ${plan.dir} && npm install && npm test\n`);
}
