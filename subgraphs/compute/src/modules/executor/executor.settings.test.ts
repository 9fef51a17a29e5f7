import { executorSettingsFromEnv, kubernetesPriorityClassFor, parseMapping, slurmAccountFor, slurmQosFor } from './executor.settings.js';

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
    expect(() => executorSettingsFromEnv({ FAIRSWEEP_EXECUTOR: 'k8s' })).toThrow('FAIRSWEEP_EXECUTOR must be "local", "slurm" or "kubernetes", got "k8s"');
    expect(() => executorSettingsFromEnv({ FAIRSWEEP_EXECUTOR: 'slurm' })).toThrow(/^FAIRSWEEP_EXECUTOR=slurm needs a Slurm account per tenant/);
    expect(() => parseMapping('team-a', 'FAIRSWEEP_SLURM_ACCOUNTS')).toThrow('FAIRSWEEP_SLURM_ACCOUNTS: "team-a" is not name=value');
    expect(() => parseMapping('a=x,a=y', 'V')).toThrow('V: "a" is mapped twice');
    expect(() => executorSettingsFromEnv({ FAIRSWEEP_EXECUTOR: 'slurm', FAIRSWEEP_SLURM_ACCOUNTS: 'a=b', FAIRSWEEP_SLURM_QOS: 'urgent=q' }))
      .toThrow('FAIRSWEEP_SLURM_QOS: "urgent" is not one of critical, standard, preemptible');
    expect(() => executorSettingsFromEnv({ FAIRSWEEP_EXECUTOR: 'slurm', FAIRSWEEP_SLURM_ACCOUNT_TEMPLATE: 'fs' })).toThrow('FAIRSWEEP_SLURM_ACCOUNT_TEMPLATE must contain {tenant}, got "fs"');
    expect(() => executorSettingsFromEnv({ FAIRSWEEP_EXECUTOR: 'slurm', FAIRSWEEP_SLURM_ACCOUNTS: 'a=b', FAIRSWEEP_SLURM_POLL_MS: '0' })).toThrow('FAIRSWEEP_SLURM_POLL_MS must be an integer > 0, got "0"');
  });

  describe('kubernetes', () => {
    const K8S = { FAIRSWEEP_EXECUTOR: 'kubernetes', FAIRSWEEP_K8S_IMAGE: 'ghcr.io/acme/trainer:2024-06' };

    it('needs only an image; everything else has the executor defaults', () => {
      expect(executorSettingsFromEnv(K8S)).toEqual({ kind: 'kubernetes', image: 'ghcr.io/acme/trainer:2024-06', priorityClasses: {} });
    });

    it('reads every option', () => {
      const s = executorSettingsFromEnv({
        ...K8S, FAIRSWEEP_K8S_IMAGE_PULL_POLICY: 'IfNotPresent', FAIRSWEEP_K8S_KUBECONFIG: '/etc/fairsweep/kubeconfig', FAIRSWEEP_K8S_CONTEXT: 'gpu-cluster',
        FAIRSWEEP_K8S_API_SERVER: 'https://10.0.0.1:6443/', FAIRSWEEP_K8S_NAMESPACE: 'fs-{tenant}', FAIRSWEEP_K8S_INSTANCE: 'prod',
        FAIRSWEEP_K8S_KUEUE_QUEUE: '{tenant}-{priority}', FAIRSWEEP_K8S_KUEUE_PRIORITY_CLASS: 'fs-{priority}',
        FAIRSWEEP_K8S_PRIORITY_CLASSES: 'critical=fairsweep-critical', FAIRSWEEP_K8S_PRIORITY_CLASS_TEMPLATE: 'fairsweep-{priority}',
        FAIRSWEEP_K8S_SERVICE_ACCOUNT: 'trainer', FAIRSWEEP_K8S_NODE_SELECTOR: 'nvidia.com/gpu.product=NVIDIA-A100-SXM4-80GB, pool=gpu',
        FAIRSWEEP_K8S_TOLERATIONS: '[{"key":"nvidia.com/gpu","operator":"Exists","effect":"NoSchedule"}]', FAIRSWEEP_K8S_GPU_RESOURCE: 'amd.com/gpu',
        FAIRSWEEP_K8S_CPU_LIMITS: 'off', FAIRSWEEP_K8S_TERMINATION_GRACE_SECONDS: '60', FAIRSWEEP_K8S_TTL_SECONDS: 'off',
        FAIRSWEEP_K8S_PROPAGATION_POLICY: 'Background', FAIRSWEEP_K8S_POLL_MS: '500', FAIRSWEEP_K8S_RESYNC_MS: '10000',
      });
      expect(s).toEqual({
        kind: 'kubernetes', image: 'ghcr.io/acme/trainer:2024-06', imagePullPolicy: 'IfNotPresent', kubeconfig: '/etc/fairsweep/kubeconfig', context: 'gpu-cluster',
        apiServer: 'https://10.0.0.1:6443', namespace: 'fs-{tenant}', instance: 'prod', kueueQueue: '{tenant}-{priority}', kueuePriorityClass: 'fs-{priority}',
        priorityClasses: { critical: 'fairsweep-critical' }, priorityClassTemplate: 'fairsweep-{priority}', serviceAccountName: 'trainer',
        nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB', pool: 'gpu' },
        tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }], gpuResource: 'amd.com/gpu', cpuLimits: false,
        terminationGraceSeconds: 60, ttlSecondsAfterFinished: null, propagationPolicy: 'Background', pollIntervalMs: 500, resyncIntervalMs: 10000,
      });
      if (s.kind !== 'kubernetes') throw new Error('unreachable');
      expect([kubernetesPriorityClassFor(s, 'critical'), kubernetesPriorityClassFor(s, 'preemptible')]).toEqual(['fairsweep-critical', 'fairsweep-preemptible']);
      expect(kubernetesPriorityClassFor({ ...s, priorityClasses: {}, priorityClassTemplate: undefined }, 'standard')).toBeUndefined();
    });

    it.each([
      [{ FAIRSWEEP_K8S_IMAGE: ' ' }, /^FAIRSWEEP_EXECUTOR=kubernetes needs FAIRSWEEP_K8S_IMAGE: /],
      [{ FAIRSWEEP_K8S_IMAGE: 'a b' }, 'FAIRSWEEP_K8S_IMAGE must be an image reference without spaces, got "a b"'],
      [{ FAIRSWEEP_K8S_IMAGE_PULL_POLICY: 'always' }, 'FAIRSWEEP_K8S_IMAGE_PULL_POLICY must be "Always" or "IfNotPresent" or "Never", got "always"'],
      [{ FAIRSWEEP_K8S_KUBECONFIG: 'in-cluster' }, /^FAIRSWEEP_K8S_KUBECONFIG=in-cluster, but KUBERNETES_SERVICE_HOST\/KUBERNETES_SERVICE_PORT are not set/],
      [{ FAIRSWEEP_K8S_CONTEXT: 'prod' }, 'FAIRSWEEP_K8S_CONTEXT needs FAIRSWEEP_K8S_KUBECONFIG set to a kubeconfig file'],
      [{ FAIRSWEEP_K8S_API_SERVER: '10.0.0.1:6443' }, 'FAIRSWEEP_K8S_API_SERVER must be an http:// or https:// URL of the API server, got "10.0.0.1:6443"'],
      [{ FAIRSWEEP_K8S_NAMESPACE: 'fairsweep' }, 'FAIRSWEEP_K8S_NAMESPACE must be a template containing {tenant}, got "fairsweep"'],
      [{ FAIRSWEEP_K8S_NAMESPACE: 'FS_{tenant}' }, 'FAIRSWEEP_K8S_NAMESPACE must be a namespace name (lower-case letters, digits, "-") (placeholders: {tenant}), got "FS_{tenant}"'],
      [{ FAIRSWEEP_K8S_INSTANCE: 'a/b' }, /^FAIRSWEEP_K8S_INSTANCE must be a label value/],
      [{ FAIRSWEEP_K8S_KUEUE_QUEUE: '{team}-q' }, /^FAIRSWEEP_K8S_KUEUE_QUEUE must be a label value .* \(placeholders: \{tenant\}, \{priority\}\), got "\{team\}-q"$/],
      [{ FAIRSWEEP_K8S_KUEUE_PRIORITY_CLASS: 'fs-{priority}' }, 'FAIRSWEEP_K8S_KUEUE_PRIORITY_CLASS needs FAIRSWEEP_K8S_KUEUE_QUEUE (the Kueue LocalQueue)'],
      [{ FAIRSWEEP_K8S_PRIORITY_CLASSES: 'urgent=x' }, 'FAIRSWEEP_K8S_PRIORITY_CLASSES: "urgent" is not one of critical, standard, preemptible'],
      [{ FAIRSWEEP_K8S_PRIORITY_CLASSES: 'critical=High' }, /^FAIRSWEEP_K8S_PRIORITY_CLASSES: "High" \(for critical\) is not a PriorityClass name/],
      [{ FAIRSWEEP_K8S_PRIORITY_CLASS_TEMPLATE: 'high' }, 'FAIRSWEEP_K8S_PRIORITY_CLASS_TEMPLATE must be a template containing {priority}, got "high"'],
      [{ FAIRSWEEP_K8S_SERVICE_ACCOUNT: 'Trainer' }, /^FAIRSWEEP_K8S_SERVICE_ACCOUNT must be a service account name/],
      [{ FAIRSWEEP_K8S_NODE_SELECTOR: 'gpu' }, /^FAIRSWEEP_K8S_NODE_SELECTOR: "gpu" is not label-key=value; example: /],
      [{ FAIRSWEEP_K8S_NODE_SELECTOR: 'a=1,a=2' }, 'FAIRSWEEP_K8S_NODE_SELECTOR: "a" is given twice'],
      [{ FAIRSWEEP_K8S_TOLERATIONS: '{"key":"x"}' }, /^FAIRSWEEP_K8S_TOLERATIONS must be a JSON array of tolerations/],
      [{ FAIRSWEEP_K8S_GPU_RESOURCE: 'gpu' }, 'FAIRSWEEP_K8S_GPU_RESOURCE must be an extended resource name such as nvidia.com/gpu, got "gpu"'],
      [{ FAIRSWEEP_K8S_CPU_LIMITS: 'no' }, 'FAIRSWEEP_K8S_CPU_LIMITS must be "on" or "off", got "no"'],
      [{ FAIRSWEEP_K8S_TERMINATION_GRACE_SECONDS: '2.5' }, 'FAIRSWEEP_K8S_TERMINATION_GRACE_SECONDS must be an integer >= 0, got "2.5"'],
      [{ FAIRSWEEP_K8S_TTL_SECONDS: '-1' }, 'FAIRSWEEP_K8S_TTL_SECONDS must be an integer >= 0, got "-1"'],
      [{ FAIRSWEEP_K8S_PROPAGATION_POLICY: 'Orphan' }, 'FAIRSWEEP_K8S_PROPAGATION_POLICY must be "Foreground" or "Background", got "Orphan"'],
      [{ FAIRSWEEP_K8S_POLL_MS: '0' }, 'FAIRSWEEP_K8S_POLL_MS must be an integer >= 1, got "0"'],
      [{ FAIRSWEEP_K8S_RESYNC_MS: 'often' }, 'FAIRSWEEP_K8S_RESYNC_MS must be an integer >= 1, got "often"'],
    ])('refuses %j, naming the variable', (env, message) => {
      expect(() => executorSettingsFromEnv({ ...K8S, ...env })).toThrow(message);
    });

    it('accepts in-cluster inside a pod', () => {
      expect(executorSettingsFromEnv({ ...K8S, FAIRSWEEP_K8S_KUBECONFIG: 'in-cluster', KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' }))
        .toMatchObject({ kind: 'kubernetes', kubeconfig: 'in-cluster' });
    });
  });
});
