import { describeExecutorConformance } from '@fairsweep/sdk';
import { FakeCluster } from './testing/fake-apiserver.js';
import { executorFor } from './testing-internal/harness.js';

// The SDK's kit against the real @kubernetes/client-node talking HTTP to the fake API server,
// whose kubelet runs the trials as local processes (see testing/fake-apiserver.ts).
const cluster = new FakeCluster({ namespaces: ['fairsweep-acme'] });
beforeAll(() => cluster.start());
afterAll(() => cluster.stop());

describeExecutorConformance('kubernetes (fake API server)', () => executorFor(cluster), {
  timeoutMs: 20000,
  stopSlackMs: 5000,
  launch: { tenant: 'acme' },
  // A restarted platform: a new executor on the same cluster re-attaches by the Job's name.
  recreate: () => executorFor(cluster),
});
