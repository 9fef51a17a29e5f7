import { join } from 'node:path';
import { detectGpus, parseNvidiaSmi } from './gpu.inventory.js';

const RECORDED = join(__dirname, 'testing-internal', 'nvidia-smi.recorded.sh');

describe('GPU inventory', () => {
  it('parses nvidia-smi CSV output, including names with commas', () => {
    expect(parseNvidiaSmi('0, GPU-aaa, NVIDIA A100-SXM4-40GB, 40960\n1, GPU-bbb, Quadro RTX 8000, Rev 2, 49152\n\n')).toEqual([
      { id: '0', uuid: 'GPU-aaa', name: 'NVIDIA A100-SXM4-40GB', memoryMb: 40960 },
      { id: '1', uuid: 'GPU-bbb', name: 'Quadro RTX 8000, Rev 2', memoryMb: 49152 },
    ]);
    expect(parseNvidiaSmi('')).toEqual([]);
    // Recorded on a real H200 host (the device check in docs/executors.md).
    expect(parseNvidiaSmi('0, GPU-cfd0a3d4-31ff-e81d-f36f-975b39c7f8d6, NVIDIA H200, 143771\n')).toEqual([
      { id: '0', uuid: 'GPU-cfd0a3d4-31ff-e81d-f36f-975b39c7f8d6', name: 'NVIDIA H200', memoryMb: 143771 },
    ]);
  });

  it('names the line it cannot parse', () => {
    expect(() => parseNvidiaSmi('0, GPU-aaa, A100, 40960\nNVIDIA-SMI has failed because it could not communicate with the NVIDIA driver')).toThrow(
      'nvidia-smi output line 2 is not "index, uuid, name, memory.total": "NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver"',
    );
  });

  it('takes the inventory from nvidia-smi when it runs, configured ids selecting by index or uuid', () => {
    expect(detectGpus(undefined, RECORDED)).toMatchObject({ source: 'nvidia-smi', note: null, devices: [{ id: '0' }, { id: '1' }, { id: '2' }, { id: '3' }] });
    expect(detectGpus(['2', 'GPU-0b6c5f4e-2d8a-4f4e-8d8e-3a1b2c3d4e5f'], RECORDED).devices.map((d) => d.id)).toEqual(['2', '0']);
    expect(() => detectGpus(['7'], RECORDED)).toThrow(/gpuIds lists "7", which nvidia-smi does not report \(it reports 0 GPU-0b6c/);
  });

  it('falls back to the configured ids, saying why, where nvidia-smi is missing or fails', () => {
    expect(detectGpus(['0', '1'], '/nonexistent/nvidia-smi')).toEqual({
      source: 'configuration', note: '/nonexistent/nvidia-smi not found', devices: [{ id: '0' }, { id: '1' }],
    });
    expect(detectGpus(undefined, '/bin/false')).toMatchObject({ source: 'configuration', devices: [] });
    expect(detectGpus(['0'], false)).toEqual({ source: 'configuration', note: 'GPU detection is off', devices: [{ id: '0' }] });
  });
});
