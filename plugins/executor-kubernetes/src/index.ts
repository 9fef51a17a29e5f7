import { createKubernetesExecutor } from './k8s.executor.js';

export { createKubernetesExecutor, launchProblems, KUBERNETES_EXECUTOR_VERSION, type KubernetesExecutor, type KubernetesExecutorConfig, type NameFor } from './k8s.executor.js';
export { ANNOTATIONS, containerPaths, jobManifest, jobName, LABELS, labelValue, manifestProblems, namespaceFor, type ManifestSettings, type NamespaceTemplate } from './k8s.manifest.js';
export { classifyApiError, describeApiFailure, isRetryableReason, RETRYABLE_MARK, type ApiFailure } from './k8s.errors.js';
export { jobEnd, pendingReason, type JobEnd } from './k8s.states.js';
export { kubeConfigFor } from './k8s.client.js';
export default createKubernetesExecutor;
