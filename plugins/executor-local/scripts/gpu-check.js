#!/usr/bin/env node
// GPU check for the local executor, to run on a real GPU host after `npm ci && npm run build`:
//   node plugins/executor-local/scripts/gpu-check.js
// Prints one JSON line with the inventory the executor detects (nvidia-smi, else configuration),
// then runs two 1-GPU trials at once through the real executor and prints one JSON line per
// trial: the GPU it was lent (started event: devices and uuid/name), its CUDA_VISIBLE_DEVICES, and
// `nvidia-smi -L` as the trial sees it (nvidia-smi itself ignores CUDA_VISIBLE_DEVICES, so a
// query with `-i $CUDA_VISIBLE_DEVICES` shows the GPU the trial is meant to use). A last line says whether the
// two trials overlapped on different GPUs. With one GPU the second trial waits for the first
// (the executor refuses a GPU that is lent out; that refusal is printed too). Exit code 0 when all
// is as expected. Finishes in well under 60 s.
'use strict';
const { mkdtempSync } = require('node:fs');
const { tmpdir, hostname } = require('node:os');
const { join } = require('node:path');
const { createLocalExecutor } = require('../dist/index.js');

const HOLD_S = 3;
const TRIAL = [
  '/bin/sh', '-c',
  [
    'echo "CVD=$CUDA_VISIBLE_DEVICES"',
    'echo "ORDER=$CUDA_DEVICE_ORDER"',
    'date +%s%N | sed "s/^/T0=/"',
    'nvidia-smi -L 2>&1 | sed "s/^/ALL=/"',
    '[ -n "$CUDA_VISIBLE_DEVICES" ] && nvidia-smi --query-gpu=index,uuid,name --format=csv,noheader -i "$CUDA_VISIBLE_DEVICES" 2>&1 | sed "s/^/MINE=/"',
    `sleep ${HOLD_S}`,
    'date +%s%N | sed "s/^/T1=/"',
  ].join('; '),
];

async function main() {
  const deadline = setTimeout(() => {
    console.log(JSON.stringify({ check: 'timeout', error: 'gpu-check did not finish within 55 s' }));
    process.exit(2);
  }, 55_000);
  const executor = createLocalExecutor({ workRoot: mkdtempSync(join(tmpdir(), 'fs-gpu-check-')), gracePeriodMs: 2000 });
  const inv = executor.gpuInventory;
  console.log(JSON.stringify({ check: 'inventory', host: hostname(), source: inv.source, note: inv.note, gpus: inv.devices, cgroups: executor.cgroupSupport() }));

  const events = new Map();
  executor.onEvent((e) => {
    if (!events.has(e.attemptId)) events.set(e.attemptId, []);
    events.get(e.attemptId).push(e);
  });
  const exited = (id) => new Promise((resolve) => {
    const timer = setInterval(() => {
      const done = (events.get(id) ?? []).find((e) => e.type === 'exited');
      if (done) clearInterval(timer), resolve(done);
    }, 20);
  });
  const launch = (n) => ({
    attemptId: `gpu-check-${process.pid}-${n}`, trialId: `gpu-check-${n}`, experimentId: 'gpu-check', tenant: 'check', trialIndex: n, attempt: 1,
    command: TRIAL, env: {}, params: {}, seed: n, resources: { cpus: 1, gpus: 1, memoryMb: 512 }, maxRuntimeSeconds: 30,
  });
  const report = (l) => {
    const ev = events.get(l.attemptId) ?? [];
    const out = ev.filter((e) => e.type === 'log' && e.stream === 'stdout').map((e) => e.line);
    const value = (tag) => out.filter((line) => line.startsWith(`${tag}=`)).map((line) => line.slice(tag.length + 1));
    const started = ev.find((e) => e.type === 'started');
    const end = ev.find((e) => e.type === 'exited');
    return {
      check: 'trial', attemptId: l.attemptId, devices: started?.devices ?? null, gpus: started?.gpus ?? null, notes: started?.notes ?? null,
      cudaVisibleDevices: value('CVD')[0] ?? null, cudaDeviceOrder: value('ORDER')[0] ?? null,
      nvidiaSmiL: value('ALL'), nvidiaSmiLMine: value('MINE'),
      ranMs: [Number(value('T0')[0]) / 1e6, Number(value('T1')[0]) / 1e6],
      outcome: end?.outcome, reason: end?.reason, stderr: ev.filter((e) => e.type === 'log' && e.stream === 'stderr').map((e) => e.line),
    };
  };

  const [a, b] = [launch(1), launch(2)];
  await Promise.all([executor.submit(a), executor.submit(b)]);
  const [ea, eb] = await Promise.all([exited(a.attemptId), exited(b.attemptId)]);
  const first = [report(a), report(b)];
  const refused = [ea, eb].filter((e) => e.outcome === 'failed' && /GPU/.test(e.reason));
  let results = first;
  if (inv.devices.length === 1 && refused.length === 1) {
    // One GPU: the second trial was refused while the first held it; run it again now.
    console.log(JSON.stringify({ check: 'refused-while-lent', reason: refused[0].reason }));
    const again = { ...launch(3) };
    await executor.submit(again);
    await exited(again.attemptId);
    results = [first.find((r) => r.outcome === 'succeeded'), report(again)];
  }
  for (const r of results) console.log(JSON.stringify(r));
  await executor.close();
  clearTimeout(deadline);

  const ok = results.every((r) => r && r.outcome === 'succeeded' && r.cudaVisibleDevices === (r.devices ?? []).join(',') && r.nvidiaSmiLMine.length === 1 && r.nvidiaSmiLMine[0].includes(r.gpus?.[0]?.uuid ?? 'no uuid'));
  const distinct = new Set(results.map((r) => r?.cudaVisibleDevices)).size === results.length;
  const overlapped = results.length === 2 && results[0].ranMs[0] < results[1].ranMs[1] && results[1].ranMs[0] < results[0].ranMs[1];
  const expectOverlap = inv.devices.length >= 2;
  const pass = ok && (expectOverlap ? distinct && overlapped : true) && inv.devices.length > 0;
  console.log(JSON.stringify({ check: 'summary', pass, gpus: inv.devices.length, eachGotItsGpu: ok, distinctDevices: distinct, overlapped }));
  process.exitCode = pass ? 0 : 1;
}

main().catch((error) => {
  console.log(JSON.stringify({ check: 'error', error: error.stack ?? String(error) }));
  process.exit(2);
});
