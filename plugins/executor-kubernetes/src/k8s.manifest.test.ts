import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { uniqueAttemptLaunch, type TrialLaunch } from '@fairsweep/sdk';
import { KUBERNETES_EXECUTOR_VERSION } from './k8s.executor.js';
import { jobManifest, jobName, labelValue, manifestProblems, namespaceFor, type ManifestSettings } from './k8s.manifest.js';

const settings = (extra: Partial<ManifestSettings> = {}): ManifestSettings => ({
  namespace: 'fairsweep-acme', image: 'ghcr.io/acme/train:1.2', instance: 'fairsweep', mountRoot: '/fairsweep',
  terminationGraceSeconds: 30, cpuLimits: true, gpuResource: 'nvidia.com/gpu', ttlSecondsAfterFinished: 86400, hostEnv: {}, ...extra,
});
const launch = (extra: Partial<TrialLaunch> = {}) => uniqueAttemptLaunch({ tenant: 'acme', ...extra }, 'python train.py');

/**
 * Fields the OpenAPI schema does not know: kubernetes-models' validators (Kubernetes 1.27 OpenAPI)
 * accept unknown fields, so each key is also checked against @kubernetes/client-node's generated
 * models (from a newer OpenAPI document), as the API server's strict field validation would.
 */
function unknownFields(value: unknown, type: string, path = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  if (type.startsWith('Array<')) return (value as unknown[]).flatMap((v, i) => unknownFields(v, type.slice(6, -1), `${path}[${i}]`));
  if (type.startsWith('{ [key: string]: ')) return [];
  const model = (k8s as unknown as Record<string, { getAttributeTypeMap?: () => Array<{ baseName: string; type: string }> }>)[type];
  const attrs = model?.getAttributeTypeMap?.();
  if (!attrs) return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
    const attr = attrs.find((a) => a.baseName === k);
    return attr ? unknownFields(v, attr.type, `${path}.${k}`) : [`${path}.${k}`];
  });
}

function validate(manifest: Record<string, unknown>): string[] {
  const problems: string[] = [];
  try {
    new Job(manifest as never).validate();
  } catch (error) {
    problems.push((error as Error).message);
  }
  return [...problems, ...unknownFields(manifest, 'V1Job').map((f) => `unknown field ${f}`), ...manifestProblems(manifest)];
}

describe('Job manifests', () => {
  const cases: Array<[string, TrialLaunch, ManifestSettings]> = [
    ['no GPU', launch(), settings()],
    ['GPUs, max runtime, priority class', launch({ resources: { cpus: 2.5, gpus: 2, memoryMb: 16384 }, maxRuntimeSeconds: 3600.5 }), settings({ priorityClassName: 'fs-critical' })],
    ['Kueue on', launch({ resources: { cpus: 1, gpus: 1, memoryMb: 4096 } }), settings({ kueueQueue: 'acme-standard', kueuePriorityClass: 'fs-standard', ttlSecondsAfterFinished: null })],
    ['long and odd ids', launch({ tenant: 'acme', experimentId: `Exp/${'x'.repeat(80)}`, trialId: 'trial #7 (ünïcode)', attemptId: `${'A_'.repeat(60)}-a1` }), settings({ nodeSelector: { 'gpu.type': 'a100' }, tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }], serviceAccountName: 'trials', imagePullPolicy: 'IfNotPresent', cpuLimits: false })],
  ];
  it.each(cases)('%s: valid against the Kubernetes OpenAPI schema, names and labels', (_what, l, s) => {
    const manifest = jobManifest(l, s);
    expect(validate(manifest)).toEqual([]);
  });

  it('the checks can fail: a wrong type, an unknown field and a bad label are reported', () => {
    const manifest = jobManifest(launch(), settings()) as { spec: Record<string, unknown>; metadata: { labels: Record<string, string> } };
    manifest.spec.backoffLimit = '0';
    manifest.spec.retries = 3;
    (manifest.spec.template as { spec: { containers: Array<Record<string, unknown>> } }).spec.containers[0].gpus = 1;
    manifest.metadata.labels['fairsweep.io/trial'] = 'has space';
    const problems = validate(manifest as never);
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringContaining('backoffLimit must be integer'),
      'unknown field .spec.retries',
      'unknown field .spec.template.spec.containers[0].gpus',
      expect.stringContaining('invalid label value "has space"'),
    ]));
  });

  it('GPU, Kueue and runtime settings land where Kubernetes and Kueue read them', () => {
    const l = launch({ resources: { cpus: 0.5, gpus: 2, memoryMb: 1000 }, maxRuntimeSeconds: 90 });
    const m = jobManifest(l, settings({ kueueQueue: 'acme-q', terminationGraceSeconds: 12 })) as any;
    const c = m.spec.template.spec.containers[0];
    expect(c.resources).toEqual({ requests: { cpu: '500m', memory: '1000Mi', 'nvidia.com/gpu': '2' }, limits: { cpu: '500m', memory: '1000Mi', 'nvidia.com/gpu': '2' } });
    expect(m.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 90, suspend: true });
    expect(m.metadata.labels['kueue.x-k8s.io/queue-name']).toBe('acme-q');
    expect(m.spec.template.spec).toMatchObject({ restartPolicy: 'Never', terminationGracePeriodSeconds: 12, automountServiceAccountToken: false });
    expect(c.command).toEqual(l.command);
    const env = Object.fromEntries(c.env.map((e: { name: string; value: string }) => [e.name, e.value]));
    expect(env).toMatchObject({ FAIRSWEEP_TRIAL_ID: l.trialId, FAIRSWEEP_SEED: String(l.seed), FAIRSWEEP_PARAMS_FILE: '/fairsweep/params/params.json', FAIRSWEEP_PARAM_LR: '0.01' });
    expect(JSON.parse(m.spec.template.metadata.annotations['fairsweep.io/params'])).toMatchObject({ trialId: l.trialId, params: l.params, seed: l.seed });
    const noKueue = jobManifest(l, settings()) as any;
    expect(noKueue.spec.suspend).toBeUndefined();
    expect(noKueue.metadata.labels['kueue.x-k8s.io/queue-name']).toBeUndefined();
  });

  it('names and label values are deterministic, valid and distinct for distinct ids', () => {
    expect(jobName('exp1-t7-a1')).toBe(jobName('exp1-t7-a1'));
    expect(jobName('A-1')).not.toBe(jobName('a-1'));
    expect(jobName('x'.repeat(300)).length).toBeLessThanOrEqual(63);
    expect(labelValue('fine-value_1.2')).toBe('fine-value_1.2');
    expect(labelValue('a b')).not.toBe(labelValue('a_b'));
    expect(labelValue('-'.repeat(100))).toMatch(/^h-[0-9a-f]{8}$/);
  });

  it('namespace template: fairsweep-{tenant}; invalid names are refused, never merged', () => {
    expect(namespaceFor('fairsweep-{tenant}', 'acme')).toEqual({ namespace: 'fairsweep-acme' });
    expect(namespaceFor((t) => `team-${t}`, 'globex')).toEqual({ namespace: 'team-globex' });
    expect(namespaceFor('fairsweep-{tenant}', 'Acme_Corp')).toEqual({ problem: expect.stringContaining('"fairsweep-Acme_Corp" for tenant "Acme_Corp" is not a valid Kubernetes namespace name') });
  });

  it('keeps the version equal to package.json', () => {
    expect(KUBERNETES_EXECUTOR_VERSION).toBe(JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')).version);
  });
});
