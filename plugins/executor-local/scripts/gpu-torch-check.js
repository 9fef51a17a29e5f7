#!/usr/bin/env node
// A real GPU trial through the local executor, for a GPU host with PyTorch (after `npm run build`):
//   node plugins/executor-local/scripts/gpu-torch-check.js
// The trial is a small Python training loop (least squares by gradient descent on the GPU the
// executor lent it) that reports its loss through the stdout line protocol. Prints one JSON line:
// the devices the executor lent, what PyTorch inside the trial saw (device count, name, uuid),
// the metrics the executor parsed, and the outcome. Exit code 0 when the trial saw exactly the
// lent GPU, ran on it and its reported loss fell.
'use strict';
const { mkdtempSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { createLocalExecutor } = require('../dist/index.js');

const TRAIN = `
import json, os, torch
assert torch.cuda.is_available(), "CUDA is not available inside the trial"
p = torch.cuda.get_device_properties(0)
print("SEEN=" + json.dumps({"count": torch.cuda.device_count(), "name": p.name, "uuid": "GPU-" + str(p.uuid)}), flush=True)
seed = int(os.environ.get("FAIRSWEEP_SEED", "0"))
g = torch.Generator(device="cuda").manual_seed(seed)
X = torch.randn(4096, 256, device="cuda", generator=g)
w_true = torch.randn(256, 1, device="cuda", generator=g)
y = X @ w_true
w = torch.zeros(256, 1, device="cuda", requires_grad=True)
opt = torch.optim.SGD([w], lr=0.05)
for step in range(1, 201):
    opt.zero_grad()
    loss = ((X @ w - y) ** 2).mean()
    loss.backward()
    opt.step()
    if step % 50 == 0:
        print(f"FAIRSWEEP_METRIC loss={loss.item():.6g} step={step}", flush=True)
torch.cuda.synchronize()
`;

async function main() {
  const deadline = setTimeout(() => {
    console.log(JSON.stringify({ check: 'torch-trial', error: 'did not finish within 110 s' }));
    process.exit(2);
  }, 110_000);
  const dir = mkdtempSync(join(tmpdir(), 'fs-gpu-torch-'));
  writeFileSync(join(dir, 'train.py'), TRAIN);
  const executor = createLocalExecutor({ workRoot: join(dir, 'work'), gracePeriodMs: 2000 });
  const events = [];
  executor.onEvent((e) => events.push(e));
  const launch = {
    attemptId: `torch-check-${process.pid}`, trialId: 'torch-check', experimentId: 'gpu-check', tenant: 'check', trialIndex: 0, attempt: 1,
    command: ['python3', join(dir, 'train.py')], env: {}, params: {}, seed: 7, resources: { cpus: 2, gpus: 1, memoryMb: 8192 }, maxRuntimeSeconds: 100,
  };
  await executor.submit(launch);
  while (!events.some((e) => e.type === 'exited')) await new Promise((r) => setTimeout(r, 50));
  const started = events.find((e) => e.type === 'started');
  const exited = events.find((e) => e.type === 'exited');
  const seenLine = events.find((e) => e.type === 'log' && e.stream === 'stdout' && e.line.startsWith('SEEN='));
  const seen = seenLine ? JSON.parse(seenLine.line.slice(5)) : null;
  const metrics = events.filter((e) => e.type === 'metric').map((e) => ({ name: e.name, value: e.value, step: e.step }));
  const lent = started?.gpus ?? null;
  const lentUuid = Array.isArray(lent) && lent[0] && typeof lent[0] === 'object' ? lent[0].uuid : null;
  const ok = exited?.outcome === 'succeeded' && seen?.count === 1 && (lentUuid === null || lentUuid === seen.uuid)
    && metrics.length === 4 && metrics[3].value < metrics[0].value;
  console.log(JSON.stringify({
    check: 'torch-trial', ok, devices: started?.devices ?? null, gpus: lent, seen, metrics, outcome: exited?.outcome, reason: exited?.reason,
    stderr: events.filter((e) => e.type === 'log' && e.stream === 'stderr').map((e) => e.line).slice(-10),
  }));
  clearTimeout(deadline);
  await executor.close();
  process.exit(ok ? 0 : 1);
}

main().catch((err) => {
  console.log(JSON.stringify({ check: 'torch-trial', error: String(err && err.stack || err) }));
  process.exit(1);
});
