/**
 * Test helpers for code that runs the Kubernetes executor (`@fairsweep/executor-kubernetes/testing`):
 * a fake API server whose kubelet runs each container's command as a local process group. It
 * validates Jobs with `kubernetes-models` (a devDependency here): for tests inside this workspace.
 */
export { FakeCluster, type FakeClusterOptions } from './fake-apiserver.js';
