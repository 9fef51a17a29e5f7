import { SOURCES, TOPICS, type CohortPolicyChanged, type ConsumerDefinition } from '@fairsweep/service-kit';

/**
 * Keeps compute.cohort_policy in step with tenancy's `cohort.policy.changed`: the highest version
 * wins, so replays and out-of-order deliveries never roll a policy back. The next admission cycle
 * reads it (snapshot.columns.ts: COHORT_POLICY_SQL).
 */
export function cohortPolicyConsumer(): ConsumerDefinition {
  return {
    name: 'compute.cohort-policy',
    source: SOURCES.tenancy,
    topics: [TOPICS.cohortPolicyChanged],
    handle: async (event, em) => {
      const p = event.payload as unknown as CohortPolicyChanged;
      await em.execute(
        `INSERT INTO compute.cohort_policy (cohort, version, lending_headroom, updated_at) VALUES (?, ?, ?::jsonb, now())
         ON CONFLICT (cohort) DO UPDATE SET version = EXCLUDED.version, lending_headroom = EXCLUDED.lending_headroom, updated_at = now()
         WHERE compute.cohort_policy.version < EXCLUDED.version`,
        [p.cohort, p.version, p.lendingHeadroom ? JSON.stringify(p.lendingHeadroom) : null],
      );
    },
  };
}
