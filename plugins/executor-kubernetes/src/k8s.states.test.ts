import { classifyApiError } from './k8s.errors.js';
import { jobEnd, pendingReason } from './k8s.states.js';

const failedJob = (reason = 'BackoffLimitExceeded') => ({ status: { failed: 1, conditions: [{ type: 'Failed', status: 'True', reason, message: 'm' }] }, spec: { activeDeadlineSeconds: 60 } });
const pod = (terminated: object, extra: object = {}) => ({ status: { containerStatuses: [{ name: 'trial', state: { terminated } }], ...extra } });

describe('jobEnd', () => {
  it('maps exit codes, OOM, deadline and disruptions', () => {
    expect(jobEnd({ status: { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] } }, pod({ exitCode: 0 }))).toMatchObject({ outcome: 'succeeded', exitCode: 0 });
    expect(jobEnd(failedJob(), pod({ exitCode: 3, reason: 'Error' }))).toEqual({ outcome: 'failed', exitCode: 3, signal: null, reason: 'exited with code 3' });
    expect(jobEnd(failedJob(), pod({ exitCode: 137, reason: 'OOMKilled' })).reason).toBe('ran out of memory: exited with code 137 (Kubernetes: OOMKilled)');
    expect(jobEnd(failedJob('DeadlineExceeded'), undefined).reason).toBe('exceeded its maximum run time of 60 s (Kubernetes: DeadlineExceeded)');
    const evicted = jobEnd(failedJob(), pod({ exitCode: 143 }, { conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: 'preempted by a higher priority pod' }] }));
    expect(evicted.reason).toBe('the cluster took the pod away: preempted by a higher priority pod (Kubernetes: PreemptionByScheduler) [retryable]');
  });
});

describe('pendingReason', () => {
  it('reads image pull problems from the container state', () => {
    const p = { status: { containerStatuses: [{ name: 'trial', state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nope:1"' } } }] } };
    expect(pendingReason({ spec: {} }, p, undefined)).toBe('the container cannot start yet: Back-off pulling image "nope:1" (Kubernetes: ImagePullBackOff)');
  });
});

describe('classifyApiError', () => {
  it('429/5xx/network are retryable; 403/422 are not; the Status message is kept', () => {
    const api = (code: number, message: string) => ({ code, body: JSON.stringify({ kind: 'Status', reason: 'R', message }) });
    expect(classifyApiError(api(503, 'x'))).toMatchObject({ retryable: true, status: 503 });
    expect(classifyApiError(api(429, 'x'))).toMatchObject({ retryable: true });
    expect(classifyApiError(api(403, 'forbidden!'))).toEqual({ status: 403, reason: 'R', message: 'forbidden!', retryable: false });
    expect(classifyApiError(api(422, 'x'))).toMatchObject({ retryable: false });
    expect(classifyApiError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' }))).toMatchObject({ retryable: true, status: null, reason: 'ECONNREFUSED' });
  });
});
