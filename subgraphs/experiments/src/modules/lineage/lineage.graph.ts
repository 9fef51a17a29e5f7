/**
 * The lineage graph of experiments: which experiment was derived from which (reruns), what each
 * one used (code version, dependency lockfiles, container image, runtimes) and who started it —
 * built from the immutable experiment records, and exported in W3C PROV-JSON or as OpenLineage
 * run events. Pure: no GraphQL, no ORM.
 */

/** What lineage needs of one experiment record. */
export interface LineageRecord {
  id: string;
  tenant: string;
  project: string | null;
  name: string;
  specHash: string;
  seed: number;
  strategy: string;
  strategyVersion: string;
  status: string;
  createdBy: string;
  createdAt: Date;
  finishedAt: Date | null;
  parentId: string | null;
  /** The environment snapshot (see environment.rules.ts), or null. */
  environment: Record<string, unknown> | null;
  trials: { total: number; succeeded: number; bestValue: number | null };
  objective: { metric: string; direction: string };
  /** What the experiment's trials produced and stored (artifact store), oldest first. */
  artifacts: LineageArtifact[];
}

export interface LineageArtifact {
  id: string;
  name: string;
  kind: string;
  sha256: string;
  sizeBytes: number;
  trialId: string | null;
  attemptId: string | null;
  deleted: boolean;
}

export type LineageNodeKind = 'experiment' | 'code' | 'lockfile' | 'image' | 'runtime' | 'artifact' | 'agent';
export type LineageRelation =
  /** experiment → experiment it reruns */
  | 'wasDerivedFrom'
  /** experiment → code / lockfile / image / runtime */
  | 'used'
  /** experiment → the user who submitted it */
  | 'wasAssociatedWith'
  /** artifact → the experiment whose trial produced it */
  | 'wasGeneratedBy';

export interface LineageNode {
  /** Stable across queries: `experiment:<uuid>`, `code:<commit>`, `lockfile:<sha256>`, … */
  id: string;
  kind: LineageNodeKind;
  label: string;
  attributes: Record<string, unknown>;
}

export interface LineageEdge {
  from: string;
  to: string;
  relation: LineageRelation;
}

export interface LineageGraph {
  root: string;
  nodes: LineageNode[];
  edges: LineageEdge[];
}

export type LineageDirection = 'ancestors' | 'descendants' | 'both';

export const experimentNodeId = (id: string): string => `experiment:${id}`;

/**
 * The graph around `rootId` from the records given (the root, and its ancestors and/or
 * descendants as the store found them). Each experiment brings its inputs and its agent; nodes
 * shared by several experiments (one commit, one lockfile) appear once. Deterministic order:
 * experiments by creation time, then inputs by id.
 */
export function buildLineage(rootId: string, records: readonly LineageRecord[]): LineageGraph {
  const nodes = new Map<string, LineageNode>();
  const edges = new Map<string, LineageEdge>();
  const present = new Set(records.map((r) => r.id));
  const addNode = (n: LineageNode) => {
    if (!nodes.has(n.id)) nodes.set(n.id, n);
  };
  const addEdge = (e: LineageEdge) => edges.set(`${e.from}|${e.relation}|${e.to}`, e);
  const sorted = [...records].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  for (const r of sorted) {
    const id = experimentNodeId(r.id);
    addNode({
      id,
      kind: 'experiment',
      label: r.name,
      attributes: {
        experimentId: r.id, tenant: r.tenant, project: r.project, specHash: r.specHash, seed: r.seed,
        strategy: `${r.strategy}@${r.strategyVersion}`, status: r.status, createdAt: r.createdAt.toISOString(),
        finishedAt: r.finishedAt?.toISOString() ?? null, objective: r.objective, trials: r.trials,
      },
    });
    if (r.parentId && present.has(r.parentId)) addEdge({ from: id, to: experimentNodeId(r.parentId), relation: 'wasDerivedFrom' });
    for (const input of inputsOf(r.environment)) {
      addNode(input);
      addEdge({ from: id, to: input.id, relation: 'used' });
    }
    for (const a of r.artifacts) {
      addNode({
        id: `artifact:${a.id}`, kind: 'artifact', label: a.name,
        attributes: { artifactId: a.id, kind: a.kind, sha256: a.sha256, sizeBytes: a.sizeBytes, trialId: a.trialId, attemptId: a.attemptId, deleted: a.deleted },
      });
      addEdge({ from: `artifact:${a.id}`, to: id, relation: 'wasGeneratedBy' });
    }
    addNode({ id: `agent:${r.createdBy}`, kind: 'agent', label: r.createdBy, attributes: { subject: r.createdBy } });
    addEdge({ from: id, to: `agent:${r.createdBy}`, relation: 'wasAssociatedWith' });
  }
  const kindOrder: LineageNodeKind[] = ['experiment', 'code', 'lockfile', 'image', 'runtime', 'artifact', 'agent'];
  const ordered = [...nodes.values()].sort((a, b) =>
    a.kind === 'experiment' && b.kind === 'experiment' ? 0 : kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) || a.id.localeCompare(b.id));
  return { root: experimentNodeId(rootId), nodes: ordered, edges: [...edges.values()] };
}

/** The inputs an environment snapshot names, as nodes. Unknown or malformed parts are skipped. */
function inputsOf(env: Record<string, unknown> | null): LineageNode[] {
  if (!env) return [];
  const out: LineageNode[] = [];
  const git = env.git as { commit?: unknown; dirty?: unknown; diffSha256?: unknown } | null | undefined;
  if (git && typeof git.commit === 'string') {
    // A dirty tree is a different code version from its commit: the diff hash is part of its identity.
    const dirty = git.dirty === true;
    const diff = typeof git.diffSha256 === 'string' ? git.diffSha256 : null;
    out.push({
      id: dirty && diff ? `code:${git.commit}+${diff}` : `code:${git.commit}`,
      kind: 'code',
      label: `${git.commit.slice(0, 12)}${dirty ? ' (dirty)' : ''}`,
      attributes: { commit: git.commit, dirty, diffSha256: diff },
    });
  }
  const lockfiles = env.lockfiles as Record<string, unknown> | undefined;
  if (lockfiles && typeof lockfiles === 'object') {
    for (const [path, sha] of Object.entries(lockfiles)) {
      if (typeof sha !== 'string') continue;
      out.push({ id: `lockfile:${sha}`, kind: 'lockfile', label: path, attributes: { path, sha256: sha } });
    }
  }
  if (typeof env.imageDigest === 'string') {
    out.push({ id: `image:${env.imageDigest}`, kind: 'image', label: env.imageDigest, attributes: { digest: env.imageDigest } });
  }
  const runtimes = env.runtimes as Record<string, unknown> | undefined;
  if (runtimes && typeof runtimes === 'object') {
    for (const [name, version] of Object.entries(runtimes)) {
      if (typeof version !== 'string') continue;
      out.push({ id: `runtime:${name}@${version}`, kind: 'runtime', label: `${name} ${version}`, attributes: { name, version } });
    }
  }
  return out;
}

const PROV_NAMESPACE = 'https://fairsweep.dev/ns/lineage#';

/**
 * W3C PROV-JSON (https://www.w3.org/submissions/prov-json/): experiments are activities; code,
 * lockfiles, images, runtimes and artifacts are entities; submitters are agents. `used`,
 * `wasGeneratedBy`, `wasAssociatedWith` and `wasInformedBy` (a rerun was informed by its
 * parent) carry the edges.
 */
export function toProvJson(graph: LineageGraph): Record<string, unknown> {
  const local = (id: string) => `fs:${id.replace(/[^A-Za-z0-9_.:@+-]/g, '_')}`;
  const activity: Record<string, unknown> = {};
  const entity: Record<string, unknown> = {};
  const agent: Record<string, unknown> = {};
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  for (const n of graph.nodes) {
    const attrs = { 'prov:label': n.label, 'fs:kind': n.kind, ...prefixed(n.attributes) };
    if (n.kind === 'experiment') {
      activity[local(n.id)] = {
        ...attrs,
        'prov:startTime': n.attributes.createdAt,
        ...(n.attributes.finishedAt ? { 'prov:endTime': n.attributes.finishedAt } : {}),
      };
    } else if (n.kind === 'agent') agent[local(n.id)] = { ...attrs, 'prov:type': 'prov:Person' };
    else entity[local(n.id)] = attrs;
  }
  const used: Record<string, unknown> = {};
  const wasAssociatedWith: Record<string, unknown> = {};
  const wasInformedBy: Record<string, unknown> = {};
  const wasGeneratedBy: Record<string, unknown> = {};
  graph.edges.forEach((e, i) => {
    const key = `_:e${i}`;
    if (e.relation === 'wasGeneratedBy') wasGeneratedBy[key] = { 'prov:entity': local(e.from), 'prov:activity': local(e.to) };
    else if (e.relation === 'used') used[key] = { 'prov:activity': local(e.from), 'prov:entity': local(e.to) };
    else if (e.relation === 'wasAssociatedWith') wasAssociatedWith[key] = { 'prov:activity': local(e.from), 'prov:agent': local(e.to) };
    else if (byId.get(e.to)?.kind === 'experiment') wasInformedBy[key] = { 'prov:informed': local(e.from), 'prov:informant': local(e.to) };
  });
  return {
    prefix: { fs: PROV_NAMESPACE },
    ...(Object.keys(entity).length ? { entity } : {}),
    ...(Object.keys(activity).length ? { activity } : {}),
    ...(Object.keys(agent).length ? { agent } : {}),
    ...(Object.keys(used).length ? { used } : {}),
    ...(Object.keys(wasAssociatedWith).length ? { wasAssociatedWith } : {}),
    ...(Object.keys(wasInformedBy).length ? { wasInformedBy } : {}),
    ...(Object.keys(wasGeneratedBy).length ? { wasGeneratedBy } : {}),
  };
}

function prefixed(attrs: Record<string, unknown>): Record<string, unknown> {
  // PROV-JSON attribute values are literals: nested objects travel as JSON strings.
  return Object.fromEntries(Object.entries(attrs).map(([k, v]) => [`fs:${k}`, v !== null && typeof v === 'object' ? JSON.stringify(v) : v]));
}

/**
 * OpenLineage (https://openlineage.io/spec) run events, one COMPLETE/FAIL/RUNNING event per
 * experiment: the job is `<tenant>/<project or "-">/<name>`, the run id the experiment id, the
 * inputs its code, lockfiles and image, the outputs its stored artifacts (by content digest), and
 * a parent run facet for a rerun.
 */
export function toOpenLineage(graph: LineageGraph, producer: string): Record<string, unknown>[] {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const events: Record<string, unknown>[] = [];
  for (const n of graph.nodes) {
    if (n.kind !== 'experiment') continue;
    const a = n.attributes as { experimentId: string; tenant: string; project: string | null; status: string; createdAt: string; finishedAt: string | null };
    const inputs = graph.edges
      .filter((e) => e.from === n.id && e.relation === 'used')
      .map((e) => byId.get(e.to)!)
      .map((input) => ({ namespace: `fairsweep:${input.kind}`, name: input.id.slice(input.kind.length + 1), facets: {} }));
    const parentEdge = graph.edges.find((e) => e.from === n.id && e.relation === 'wasDerivedFrom');
    const parent = parentEdge ? byId.get(parentEdge.to) : undefined;
    const job = { namespace: `fairsweep:${a.tenant}`, name: `${a.project ?? '-'}/${n.label}` };
    events.push({
      eventType: a.status === 'succeeded' ? 'COMPLETE' : a.status === 'failed' ? 'FAIL' : a.status === 'cancelled' ? 'ABORT' : 'RUNNING',
      eventTime: a.finishedAt ?? a.createdAt,
      producer,
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
      run: {
        runId: a.experimentId,
        facets: parent
          ? { parent: { run: { runId: (parent.attributes as { experimentId: string }).experimentId }, job: { namespace: `fairsweep:${a.tenant}`, name: `${(parent.attributes as { project: string | null }).project ?? '-'}/${parent.label}` } } }
          : {},
      },
      job,
      inputs,
      outputs: graph.edges
        .filter((e) => e.to === n.id && e.relation === 'wasGeneratedBy')
        .map((e) => byId.get(e.from)!)
        .map((out) => ({ namespace: `fairsweep:${a.tenant}:artifacts`, name: (out.attributes as { sha256: string }).sha256, facets: { fairsweep: { name: out.label, kind: out.attributes.kind } } })),
    });
  }
  return events;
}
