import { randomUUID } from 'node:crypto';
import type { FairsweepClaims } from '@fairsweep/auth';
import { claimsFor, eventually, signedRequest, TEST_SECRET } from '@fairsweep/service-kit/testing';
import type { RunningService } from '@fairsweep/service-kit';
import { ComputeHarness, LONG_TRIAL, stubExecutor } from './testing-internal/compute-harness.js';

const SET = `mutation($t: String!, $id: ID!, $p: String!, $r: String!) {
  setTrialPriority(tenant: $t, trialId: $id, priority: $p, reason: $r) { trialId fromPriority toPriority changedBy reason quotaVersion } }`;

describe('priority changes through the compute GraphQL API', () => {
  let h: ComputeHarness;
  let svc: RunningService;
  const admin = claimsFor.member('alpha', 'tenant-admin', 'ada');
  const q = <T = Record<string, any>>(claims: FairsweepClaims, query: string, variables?: Record<string, unknown>) => signedRequest<T>(svc.url, TEST_SECRET, claims, query, variables);
  let running: string;
  let a: string;
  let b: string;
  const experiment = randomUUID();

  beforeAll(async () => {
    h = await ComputeHarness.create();
    svc = await h.start({ executor: stubExecutor() });
    await h.setQuota('alpha', 1, { cpus: 8, concurrentTrials: 1, priorityClasses: ['critical', 'standard', 'preemptible'] });
    await h.setQuota('beta', 1, { cpus: 8, concurrentTrials: 1 });
    [running, a, b] = await h.createTrials('alpha', experiment, 3, LONG_TRIAL, { cpus: 1, gpus: 0, memoryMb: 64 });
    await eventually(async () => (await h.sql(`SELECT 1 FROM compute.trial_run WHERE tenant = 'alpha' AND pending_reason IS NOT NULL`)).length === 2);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('lets a tenant admin raise a queued trial to critical: recorded with who and why, first in the queue, admitted first', async () => {
    const res = await q(admin, SET, { t: 'alpha', id: b, p: 'critical', r: 'paper deadline' });
    expect(res.errors).toBeUndefined();
    expect(res.data!.setTrialPriority).toEqual([{ trialId: b, fromPriority: 'standard', toPriority: 'critical', changedBy: 'ada', reason: 'paper deadline', quotaVersion: 1 }]);
    const queue = await q(admin, `{ queue(tenant: "alpha") { trialId priority position } }`);
    expect(queue.data!.queue).toEqual([{ trialId: b, priority: 'critical', position: 1 }, { trialId: a, priority: 'standard', position: 2 }]);
    await h.setQuota('alpha', 2, { cpus: 8, concurrentTrials: 2, priorityClasses: ['critical', 'standard', 'preemptible'] });
    await eventually(async () => (await h.sql(`SELECT 1 FROM compute.trial_run WHERE trial_id = ? AND state = 'running'`, [b])).length === 1);
    expect((await h.sql(`SELECT state FROM compute.trial_run WHERE trial_id = ?`, [a]))[0]).toEqual({ state: 'queued' });
    const log = await q(claimsFor.member('alpha', 'viewer'), `query($id: ID) { priorityChanges(tenant: "alpha", trialId: $id) { toPriority changedBy reason } }`, { id: b });
    expect(log.data!.priorityChanges).toEqual([{ toPriority: 'critical', changedBy: 'ada', reason: 'paper deadline' }]);
  });

  it('changes every queued trial of an experiment, skipping running ones', async () => {
    const res = await q(claimsFor.platformAdmin('root'), `mutation($e: ID!) { setExperimentPriority(tenant: "alpha", experimentId: $e, priority: "preemptible", reason: "make room") { trialId fromPriority } }`, { e: experiment });
    expect(res.data!.setExperimentPriority).toEqual([{ trialId: a, fromPriority: 'standard' }]);
  });

  it('refuses members, other tenants, classes the quota does not allow, running trials and empty reasons, each with a precise error', async () => {
    const member = await q(claimsFor.member('alpha', 'member'), SET, { t: 'alpha', id: a, p: 'critical', r: 'x' });
    expect(member.errors![0]).toMatchObject({ message: 'not allowed to administer in tenant "alpha"', extensions: { code: 'FORBIDDEN' } });
    const stranger = await q(claimsFor.member('beta', 'tenant-admin'), SET, { t: 'alpha', id: a, p: 'critical', r: 'x' });
    expect(stranger.errors![0]!.extensions!.code).toBe('NOT_FOUND');
    const [betaTrial] = await h.createTrials('beta', randomUUID(), 1, LONG_TRIAL, { cpus: 1, gpus: 0, memoryMb: 64 });
    await eventually(async () => (await h.sql(`SELECT 1 FROM compute.trial_run WHERE trial_id = ?`, [betaTrial])).length === 1);
    const crossTenant = await q(claimsFor.member('beta', 'tenant-admin'), SET, { t: 'beta', id: a, p: 'standard', r: 'x' });
    expect(crossTenant.errors![0]).toMatchObject({ message: `trial "${a}" not found`, extensions: { code: 'NOT_FOUND' } });
    const notAllowed = await q(claimsFor.member('beta', 'tenant-admin'), SET, { t: 'beta', id: betaTrial, p: 'critical', r: 'x' });
    expect(notAllowed.errors![0]).toMatchObject({ message: 'priority: critical is not allowed for tenant beta (quota v1 allows standard, preemptible)', extensions: { code: 'INVALID_INPUT' } });
    const isRunning = await q(admin, SET, { t: 'alpha', id: running, p: 'critical', r: 'x' });
    expect(isRunning.errors![0]).toMatchObject({ message: `trial "${running}" is running: only a queued trial's priority can change`, extensions: { code: 'CONFLICT' } });
    const noReason = await q(admin, SET, { t: 'alpha', id: a, p: 'standard', r: '  ' });
    expect(noReason.errors![0]).toMatchObject({ message: 'reason: must say why in 1-1000 characters, got 0', extensions: { code: 'INVALID_INPUT' } });
  });

  it('keeps the record append-only', async () => {
    await expect(h.sql(`UPDATE compute.priority_change SET reason = 'forged'`)).rejects.toThrow(/append-only/);
  });
});
