import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onStop, report, shouldStop, stopReason, trialParams, trialSeed } from './report.node.js';
import { parseReportLine } from './report.protocol.js';

const reportDir = join(__dirname, '..', '..', 'report');
const doc = { trialId: 't1', experimentId: 'e1', trialIndex: 3, attempt: 1, seed: 99, params: { lr: 0.01, opt: 'adam', deep: true } };

function paramsFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'fs-report-')), 'params.json');
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

describe('Node trial helpers', () => {
  it('report prints one protocol line on stdout', () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      report({ loss: 0.5 }, 2);
      expect(write).toHaveBeenCalledWith('FAIRSWEEP_METRIC loss=0.5 step=2\n');
    } finally {
      write.mockRestore();
    }
  });

  it('trialParams reads the params file, or FAIRSWEEP_PARAMS without one', () => {
    expect(trialParams({ FAIRSWEEP_PARAMS_FILE: paramsFile() })).toEqual(doc.params);
    expect(trialParams({ FAIRSWEEP_PARAMS: '{"a":1}' })).toEqual({ a: 1 });
    expect(() => trialParams({})).toThrow(/not running as a Fairsweep trial/);
  });

  it('trialSeed reads FAIRSWEEP_SEED', () => {
    expect(trialSeed({ FAIRSWEEP_SEED: '4294967295' })).toBe(4294967295);
    expect(() => trialSeed({})).toThrow(/FAIRSWEEP_SEED is unset/);
    expect(() => trialSeed({ FAIRSWEEP_SEED: 'x' })).toThrow(/FAIRSWEEP_SEED is "x"/);
  });
});

describe('stop reason (Node)', () => {
  const stop = { reason: 'pruned', message: 'pruned by median@0.1.0 at step 3: worse than the median', attemptId: 'a1', at: '2026-01-01T00:00:00.000Z' };

  it('reads the stop file once it exists; null (and shouldStop false) before', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'fs-stop-')), 'stop.json');
    const env = { FAIRSWEEP_STOP_FILE: file };
    expect(stopReason(env)).toBeNull();
    expect(shouldStop(env)).toBe(false);
    expect(stopReason({})).toBeNull();
    writeFileSync(file, JSON.stringify(stop));
    expect(stopReason(env)).toEqual(stop);
    expect(shouldStop(env)).toBe(true);
  });

  it('onStop turns a real SIGTERM into a call with the stop document (child process, built helper)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'fs-stop-')), 'stop.json');
    writeFileSync(file, JSON.stringify(stop));
    const built = join(__dirname, '..', '..', 'dist', 'report', 'report.node.js');
    const script = `const { onStop, shouldStop } = require(${JSON.stringify(built)});
      onStop((s) => { console.log(JSON.stringify({ s, stop: shouldStop() })); process.exit(0); });
      process.kill(process.pid, 'SIGTERM'); setTimeout(() => process.exit(3), 5000);`;
    const result = spawnSync(process.execPath, ['-e', script], { env: { PATH: process.env.PATH ?? '', FAIRSWEEP_STOP_FILE: file }, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ s: stop, stop: true });
    const off = onStop(() => undefined);
    off();
    expect(process.listenerCount('SIGTERM')).toBe(0);
  });
});

const python = spawnSync('python3', ['--version']).status === 0 ? 'python3' : undefined;
const describePython = python ? describe : describe.skip;

describePython('report/fairsweep_report.py', () => {
  function runPython(code: string, env: Record<string, string>) {
    return spawnSync(python!, ['-c', code], {
      env: { PATH: process.env.PATH ?? '', PYTHONPATH: reportDir, ...env },
      encoding: 'utf8',
    });
  }

  it('reads params and seed, and prints lines the executor parses', () => {
    const result = runPython(
      [
        'import fairsweep_report as fs',
        'p = fs.params()',
        'print("params", p["lr"], p["opt"], p["deep"], fs.seed())',
        'fs.report(step=4, loss=0.25, acc=1e-07, n=3, **{"val/loss": 1.5})',
      ].join('\n'),
      { FAIRSWEEP_PARAMS_FILE: paramsFile(), FAIRSWEEP_SEED: '99' },
    );
    expect(result.stderr).toBe('');
    const [first, second] = result.stdout.trim().split('\n');
    expect(first).toBe('params 0.01 adam True 99');
    expect(parseReportLine(second)).toEqual({
      metrics: [
        { name: 'loss', value: 0.25 },
        { name: 'acc', value: 1e-7 },
        { name: 'n', value: 3 },
        { name: 'val/loss', value: 1.5 },
      ],
      step: 4,
    });
  });

  it('refuses values the protocol cannot carry', () => {
    const result = runPython(
      [
        'import fairsweep_report as fs',
        'for args in [dict(loss=float("nan")), dict(ok=True), dict(step=-1, loss=1), {}, {"bad name": 1}]:',
        '    try:',
        '        fs.report(**args)',
        '    except ValueError as e:',
        '        print("refused:", e)',
      ].join('\n'),
      {},
    );
    expect(result.stdout.trim().split('\n')).toHaveLength(5);
    expect(result.stdout).not.toContain('FAIRSWEEP_METRIC');
  });

  it('turns SIGTERM into should_stop() and reads the stop reason from FAIRSWEEP_STOP_FILE', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'fs-stop-')), 'stop.json');
    const result = runPython(
      [
        'import json, os, signal, fairsweep_report as fs',
        'print(fs.should_stop(), fs.stop_reason())',
        'seen = []',
        'fs.install_stop_handler(seen.append)',
        `open(os.environ["FAIRSWEEP_STOP_FILE"], "w").write(json.dumps({"reason": "pruned", "message": "m", "attemptId": "a", "at": "t"}))`,
        'os.kill(os.getpid(), signal.SIGTERM)',
        'print(fs.should_stop(), fs.stop_reason()["reason"], seen[0]["message"])',
      ].join('\n'),
      { FAIRSWEEP_STOP_FILE: file },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split('\n')).toEqual(['False None', 'True pruned m']);
  });

  it('explains when it is not running as a trial', () => {
    const result = runPython('import fairsweep_report as fs\nfs.params()', {});
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/not running as a Fairsweep trial/);
  });
});
