import type { DeviceInfo } from '@fairsweep/sdk';

/**
 * The GPUs Slurm allocated to a job, from `scontrol -d show job <id>` (either layout, with or
 * without `-o`): each node's `Nodes=<host> … GRES=gpu[:<type>]:<count>(IDX:<list>)` entry, where
 * the list (`0-1,3`) holds the GPUs' indexes on the node, the ids the job sees in SLURM_JOB_GPUS.
 * A GPU type (`gpu:a100:2`) becomes `name`. `[]` when the job got no GPUs or Slurm does not say
 * which (`GRES=`, `gpu(CNT:2)`, `IDX:N/A`). A job of several nodes: the first node's.
 */
export function parseJobGpus(scontrolText: string): DeviceInfo[] {
  // `(?:^|\s)` so that JOB_GRES=, the job's total (no indexes), is not taken for a node's GRES=.
  const node = /(?:^|\s)Nodes=\S+[^\n]*?\sGRES=(\S*)/.exec(scontrolText);
  if (!node) return [];
  const gpus: DeviceInfo[] = [];
  for (const entry of node[1].matchAll(/(?:^|,)gpu(?::([^:(,]+))?:\d+\(IDX:([^)]*)\)/g)) {
    const type = entry[1];
    for (const id of expandIndexList(entry[2])) gpus.push(type ? { id, name: type } : { id });
  }
  return gpus;
}

/** Slurm's index list (`0-1,3`) as ids (`['0', '1', '3']`); `[]` for `N/A` or anything else. */
export function expandIndexList(list: string): string[] {
  if (!/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(list)) return [];
  const ids: string[] = [];
  for (const part of list.split(',')) {
    const [from, to = from] = part.split('-').map(Number);
    for (let i = from; i <= to; i++) ids.push(String(i));
  }
  return ids;
}
