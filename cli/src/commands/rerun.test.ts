import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describeOverrides, rerunCommand } from './rerun.js';

// What the CLI sends and prints; the mutation itself is tested on the real subgraph
// (subgraphs/experiments/src/lineage.test.ts) and through the gateway (e2e/src/replay.e2e.test.ts).
describe('fairsweep rerun --executor', () => {
  let server: Server;
  let url: string;
  const received: { query: string; variables: Record<string, unknown> }[] = [];
  let answer: unknown;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const captureStdout = async (fn: () => Promise<void>): Promise<string> => {
    const chunks: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((c) => (chunks.push(String(c)), true));
    try {
      await fn();
    } finally {
      spy.mockRestore();
    }
    return chunks.join('');
  };

  it('sends the executor with the rerun and prints the new id', async () => {
    answer = { data: { rerunExperiment: { id: 'child-1', seed: 7, specHash: 'ab'.repeat(32), rerunOverrides: [{ path: 'trial.executor', parent: 'local', child: 'slurm' }], parent: { id: 'p-1' } } } };
    const out = await captureStdout(() => rerunCommand('p-1', { executor: 'slurm', environment: false, url, token: 't' }));
    expect(out).toBe('child-1\n');
    expect(received.at(-1)!.variables).toEqual({ id: 'p-1', environment: null, executor: 'slurm' });
    expect(received.at(-1)!.query).toMatch(/rerunExperiment\(id: \$id, environment: \$environment, executor: \$executor\)/);
    await captureStdout(() => rerunCommand('p-1', { environment: false, url, token: 't' }));
    expect(received.at(-1)!.variables.executor).toBeNull(); // without the flag: the parent's executor
  });

  it('parses --executor on the command line (the built CLI, as a user runs it)', async () => {
    answer = { data: { rerunExperiment: { id: 'child-2', seed: 7, specHash: 'cd'.repeat(32), rerunOverrides: [], parent: { id: 'p-2' } } } };
    const bin = join(__dirname, '..', '..', 'bin', 'fairsweep.js'); // dist/: npm run build -w @fairsweep/cli
    const out = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [bin, 'rerun', 'p-2', '--executor', 'slurm', '--no-environment', '--url', url, '--token', 't'], (err, stdout, stderr) =>
        (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)));
    });
    expect(out).toBe('child-2\n');
    expect(received.at(-1)!.variables).toEqual({ id: 'p-2', environment: null, executor: 'slurm' });
  });

  it('passes the platform\'s refusal of an executor that is not installed on as the error', async () => {
    answer = { errors: [{ message: 'executor: "k8s" is not an installed executor; installed: local, slurm', extensions: { code: 'INVALID_INPUT' } }] };
    await expect(rerunCommand('p-1', { executor: 'k8s', environment: false, url, token: 't' }))
      .rejects.toThrow('executor: "k8s" is not an installed executor; installed: local, slurm [INVALID_INPUT]');
  });

  it('words the overrides', () => {
    expect(describeOverrides([{ path: 'trial.executor', parent: 'local', child: 'slurm' }])).toBe('trial.executor: "local" → "slurm"');
    expect(describeOverrides([])).toBe('none');
  });
});
