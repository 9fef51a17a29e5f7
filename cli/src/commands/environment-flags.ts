import { collectEnvironment, type EnvironmentSnapshot } from '../environment/environment.collect.js';

export interface EnvironmentFlags {
  imageDigest?: string;
  envAllow?: string;
  /** false with --no-environment */
  environment?: boolean;
}

/** The snapshot to send with submit/rerun, from the current working tree; null with --no-environment. */
export function environmentFor(opts: EnvironmentFlags): EnvironmentSnapshot | null {
  if (opts.environment === false) return null;
  const envAllow = (opts.envAllow ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return collectEnvironment({ imageDigest: opts.imageDigest, envAllow });
}
