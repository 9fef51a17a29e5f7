import { execFileSync } from 'node:child_process';
import type { GpuDevice } from './attempt.records.js';

export const NVIDIA_SMI_QUERY = ['--query-gpu=index,uuid,name,memory.total', '--format=csv,noheader,nounits'];

/** Parses `nvidia-smi --query-gpu=index,uuid,name,memory.total --format=csv,noheader,nounits`. */
export function parseNvidiaSmi(output: string): GpuDevice[] {
  const devices: GpuDevice[] = [];
  for (const [n, raw] of output.split('\n').entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const fields = line.split(',').map((f) => f.trim());
    if (fields.length < 4 || !/^\d+$/.test(fields[0])) {
      throw new Error(`nvidia-smi output line ${n + 1} is not "index, uuid, name, memory.total": ${JSON.stringify(line)}`);
    }
    const [index, uuid, ...rest] = fields;
    const memory = Number(rest.pop());
    devices.push({ id: index, uuid, name: rest.join(', '), ...(Number.isFinite(memory) ? { memoryMb: memory } : {}) });
  }
  return devices;
}

export interface GpuInventory {
  devices: GpuDevice[];
  source: 'nvidia-smi' | 'configuration';
  /** Why nvidia-smi was not used, when it was not. */
  note: string | null;
}

/**
 * The GPUs this host can hand out: from nvidia-smi when it runs here, else from `configured`
 * (ids only). Configured ids on an nvidia-smi host select a subset of the detected GPUs.
 */
export function detectGpus(configured: readonly string[] | undefined, nvidiaSmi: string | false = 'nvidia-smi'): GpuInventory {
  if (nvidiaSmi === false) return { devices: (configured ?? []).map((id) => ({ id })), source: 'configuration', note: 'GPU detection is off' };
  let output: string;
  try {
    output = execFileSync(nvidiaSmi, NVIDIA_SMI_QUERY, { encoding: 'utf8', timeout: 15_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    const why = e.code === 'ENOENT' ? `${nvidiaSmi} not found` : `${nvidiaSmi} failed: ${(e.stderr ?? e.message).trim().split('\n')[0]}`;
    return { devices: (configured ?? []).map((id) => ({ id })), source: 'configuration', note: why };
  }
  const detected = parseNvidiaSmi(output);
  if (configured === undefined) return { devices: detected, source: 'nvidia-smi', note: null };
  return { devices: selectConfigured(detected, configured), source: 'nvidia-smi', note: null };
}

/** The detected GPUs named by `configured` (by index or uuid), in configured order. */
export function selectConfigured(detected: GpuDevice[], configured: readonly string[]): GpuDevice[] {
  return configured.map((id) => {
    const found = detected.find((d) => d.id === id || d.uuid === id);
    if (!found) {
      throw new TypeError(`executor "local": gpuIds lists ${JSON.stringify(id)}, which nvidia-smi does not report (it reports ${detected.map((d) => `${d.id} ${d.uuid}`).join(', ') || 'no GPUs'})`);
    }
    return found;
  });
}
