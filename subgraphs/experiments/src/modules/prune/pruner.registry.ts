import { assertPruner, type Pruner, type PrunerFactory } from '@fairsweep/sdk';
import { createAshaPruner } from '@fairsweep/pruner-asha';
import { createHyperbandPruner } from '@fairsweep/pruner-hyperband';
import { createMedianPruner } from '@fairsweep/pruner-median';

/** Pruners installed in this deployment, by spec name (`spec.pruner.name`). */
const FACTORIES: Record<string, PrunerFactory> = {
  asha: createAshaPruner,
  hyperband: createHyperbandPruner,
  median: createMedianPruner,
};

/** Options that make an instance for listing (name, version): `{}` unless the pruner requires some. */
const PROBE_OPTIONS: Record<string, Record<string, unknown>> = { hyperband: { maxResource: 1 } };

/** Installs a pruner under a name (plugins, tests); returns a function that removes it. Built-in names cannot be replaced. */
export function registerPruner(name: string, factory: PrunerFactory): () => void {
  if (FACTORIES[name]) throw new Error(`pruner "${name}" is already installed`);
  FACTORIES[name] = factory;
  return () => {
    delete FACTORIES[name];
  };
}

export function installedPruners(): string[] {
  return Object.keys(FACTORIES).sort();
}

/** Name, kind, version and apiVersion of every installed pruner (created with default options). */
export function installedPrunerPlugins(): { name: string; kind: string; version: string; apiVersion: string }[] {
  return installedPruners().map((name) => {
    const p = FACTORIES[name]!(PROBE_OPTIONS[name] ?? {});
    return { name, kind: p.kind, version: p.version, apiVersion: p.apiVersion };
  });
}

/** Creates the pruner a spec names; returns an error naming the path and what is allowed instead. */
export function createPruner(name: string, options: Record<string, unknown>): Pruner | { error: string; path: string } {
  const factory = FACTORIES[name];
  if (!factory) return { path: 'pruner.name', error: `"${name}" is not an installed pruner; installed: ${installedPruners().join(', ')}` };
  try {
    const pruner = factory(options);
    assertPruner(pruner);
    return pruner;
  } catch (err) {
    return { path: 'pruner.options', error: (err as Error).message };
  }
}
