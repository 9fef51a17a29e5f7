import { executorSettingsFromEnv, parseMapping, slurmAccountFor, slurmQosFor } from './executor.settings.js';

describe('executor selection for a pool', () => {
  it('defaults to the local executor, with its host options', () => {
    expect(executorSettingsFromEnv({})).toEqual({ kind: 'local' });
    expect(executorSettingsFromEnv({ FAIRSWEEP_EXECUTOR: 'local', FAIRSWEEP_CGROUP_PARENT: 'off', FAIRSWEEP_NVIDIA_SMI: '/opt/nvidia/bin/nvidia-smi' }))
      .toEqual({ kind: 'local', cgroupParent: false, nvidiaSmi: '/opt/nvidia/bin/nvidia-smi' });
  });

  it('reads Slurm: tenant → account, priority → QOS, templates for the rest', () => {
    const s = executorSettingsFromEnv({
      FAIRSWEEP_EXECUTOR: 'slurm', FAIRSWEEP_SLURM_PARTITION: 'gpu', FAIRSWEEP_SLURM_ACCOUNTS: 'team-a=acme, team-b=globex',
      FAIRSWEEP_SLURM_ACCOUNT_TEMPLATE: 'fs-{tenant}', FAIRSWEEP_SLURM_QOS: 'critical=fs-critical', FAIRSWEEP_SLURM_QOS_TEMPLATE: 'fs-{priority}',
      FAIRSWEEP_SLURM_CONF: '/etc/slurm/slurm.conf', FAIRSWEEP_SLURM_POLL_MS: '500', FAIRSWEEP_SLURM_SBATCH_ARGS: '--constraint=a100 --exclusive',
    });
    expect(s).toEqual({
      kind: 'slurm', partition: 'gpu', accounts: { 'team-a': 'acme', 'team-b': 'globex' }, accountTemplate: 'fs-{tenant}',
      qos: { critical: 'fs-critical' }, qosTemplate: 'fs-{priority}', slurmConf: '/etc/slurm/slurm.conf', pollIntervalMs: 500,
      sbatchArgs: ['--constraint=a100', '--exclusive'],
    });
    if (s.kind !== 'slurm') throw new Error('unreachable');
    expect([slurmAccountFor(s, 'team-a'), slurmAccountFor(s, 'other')]).toEqual(['acme', 'fs-other']);
    expect([slurmQosFor(s, 'critical'), slurmQosFor(s, 'preemptible')]).toEqual(['fs-critical', 'fs-preemptible']);
  });

  it('refuses a tenant without an account rather than charging the default one', () => {
    const s = executorSettingsFromEnv({ FAIRSWEEP_EXECUTOR: 'slurm', FAIRSWEEP_SLURM_ACCOUNTS: 'team-a=acme' });
    if (s.kind !== 'slurm') throw new Error('unreachable');
    expect(() => slurmAccountFor(s, 'team-c')).toThrow('no Slurm account for tenant "team-c": add it to FAIRSWEEP_SLURM_ACCOUNTS (tenant=account) or set FAIRSWEEP_SLURM_ACCOUNT_TEMPLATE');
    expect(slurmQosFor(s, 'standard')).toBeUndefined();
  });

  it('names the variable and the entry that is wrong', () => {
    expect(() => executorSettingsFromEnv({ FAIRSWEEP_EXECUTOR: 'k8s' })).toThrow('FAIRSWEEP_EXECUTOR must be "local" or "slurm", got "k8s"');
    expect(() => executorSettingsFromEnv({ FAIRSWEEP_EXECUTOR: 'slurm' })).toThrow(/^FAIRSWEEP_EXECUTOR=slurm needs a Slurm account per tenant/);
    expect(() => parseMapping('team-a', 'FAIRSWEEP_SLURM_ACCOUNTS')).toThrow('FAIRSWEEP_SLURM_ACCOUNTS: "team-a" is not name=value');
    expect(() => parseMapping('a=x,a=y', 'V')).toThrow('V: "a" is mapped twice');
    expect(() => executorSettingsFromEnv({ FAIRSWEEP_EXECUTOR: 'slurm', FAIRSWEEP_SLURM_ACCOUNTS: 'a=b', FAIRSWEEP_SLURM_QOS: 'urgent=q' }))
      .toThrow('FAIRSWEEP_SLURM_QOS: "urgent" is not one of critical, standard, preemptible');
    expect(() => executorSettingsFromEnv({ FAIRSWEEP_EXECUTOR: 'slurm', FAIRSWEEP_SLURM_ACCOUNT_TEMPLATE: 'fs' })).toThrow('FAIRSWEEP_SLURM_ACCOUNT_TEMPLATE must contain {tenant}, got "fs"');
    expect(() => executorSettingsFromEnv({ FAIRSWEEP_EXECUTOR: 'slurm', FAIRSWEEP_SLURM_ACCOUNTS: 'a=b', FAIRSWEEP_SLURM_POLL_MS: '0' })).toThrow('FAIRSWEEP_SLURM_POLL_MS must be an integer > 0, got "0"');
  });
});
