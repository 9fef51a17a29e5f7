import { expandIndexList, parseJobGpus } from './slurm.gres.js';

// Recorded from the test Slurm (22.05.8, 4 fake GPUs): `scontrol -d show job <id>` of a job given
// GPUs 1 and 3 (another job held 0 and 2), trailing blank lines dropped.
const TWO_GPUS_SPLIT = `JobId=10 JobName=fs-rec
   UserId=root(0) GroupId=root(0) MCS_label=N/A
   Priority=4294901750 Nice=0 Account=acme QOS=normal
   JobState=RUNNING Reason=None Dependency=(null)
   Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0
   DerivedExitCode=0:0
   RunTime=00:00:01 TimeLimit=UNLIMITED TimeMin=N/A
   SubmitTime=2026-11-28T21:29:54 EligibleTime=2026-11-28T21:29:54
   AccrueTime=2026-11-28T21:29:54
   StartTime=2026-11-28T21:29:55 EndTime=Unknown Deadline=N/A
   SuspendTime=None SecsPreSuspend=0 LastSchedEval=2026-11-28T21:29:55 Scheduler=Main
   Partition=debug AllocNode:Sid=localhost:14628
   ReqNodeList=(null) ExcNodeList=(null)
   NodeList=vm
   BatchHost=vm
   NumNodes=1 NumCPUs=1 NumTasks=1 CPUs/Task=1 ReqB:S:C:T=0:0:*:*
   TRES=cpu=1,mem=64M,node=1,billing=1,gres/gpu=2
   Socks/Node=* NtasksPerN:B:S:C=0:0:*:* CoreSpec=*
   JOB_GRES=gpu:2
     Nodes=vm CPU_IDs=1 Mem=64 GRES=gpu:2(IDX:1,3)
   MinCPUsNode=1 MinMemoryNode=64M MinTmpDiskNode=0
   Features=(null) DelayBoot=00:00:00
   OverSubscribe=OK Contiguous=0 Licenses=(null) Network=(null)
   Command=(null)
   WorkDir=/tmp
   StdErr=/dev/null
   StdIn=/dev/null
   StdOut=/dev/null
   Power=
   TresPerNode=gres:gpu:2
`;

// The same, one line (`-o`), of a job given GPUs 0 and 1.
const TWO_GPUS_ONE_LINE = `JobId=1 JobName=wrap UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901759 Nice=0 Account=acme QOS=normal JobState=RUNNING Reason=None Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0 DerivedExitCode=0:0 RunTime=00:00:01 TimeLimit=UNLIMITED TimeMin=N/A SubmitTime=2026-11-28T21:29:30 EligibleTime=2026-11-28T21:29:30 AccrueTime=2026-11-28T21:29:30 StartTime=2026-11-28T21:29:30 EndTime=Unknown Deadline=N/A SuspendTime=None SecsPreSuspend=0 LastSchedEval=2026-11-28T21:29:30 Scheduler=Main Partition=debug AllocNode:Sid=localhost:14628 ReqNodeList=(null) ExcNodeList=(null) NodeList=vm BatchHost=vm NumNodes=1 NumCPUs=1 NumTasks=1 CPUs/Task=1 ReqB:S:C:T=0:0:*:* TRES=cpu=1,mem=64M,node=1,billing=1,gres/gpu=2 Socks/Node=* NtasksPerN:B:S:C=0:0:*:* CoreSpec=* JOB_GRES=gpu:2   Nodes=vm CPU_IDs=0 Mem=64 GRES=gpu:2(IDX:0-1) MinCPUsNode=1 MinMemoryNode=64M MinTmpDiskNode=0 Features=(null) DelayBoot=00:00:00 OverSubscribe=OK Contiguous=0 Licenses=(null) Network=(null) Command=(null) WorkDir=/tmp StdErr=/tmp/gj.out StdIn=/dev/null StdOut=/tmp/gj.out Power= TresPerNode=gres:gpu:2 
`;

// Lines 14-21 of a job without GPUs.
const NO_GPUS = `   NodeList=vm
   BatchHost=vm
   NumNodes=1 NumCPUs=1 NumTasks=1 CPUs/Task=1 ReqB:S:C:T=0:0:*:*
   TRES=cpu=1,mem=64M,node=1,billing=1
   Socks/Node=* NtasksPerN:B:S:C=0:0:*:* CoreSpec=*
   JOB_GRES=(null)
     Nodes=vm CPU_IDs=3 Mem=64 GRES=
   MinCPUsNode=1 MinMemoryNode=64M MinTmpDiskNode=0
`;

// The shapes Slurm's gres_ctld_job_build_details() writes, for what the test Slurm
// cannot make: typed GPUs, several types on a node, count-only GRES, several nodes.
const node = (host: string, gres: string) => `   NodeList=${host}\n   JOB_GRES=gpu:4\n     Nodes=${host} CPU_IDs=0-3 Mem=1024 GRES=${gres}\n   MinCPUsNode=1\n`;

describe('GPUs from scontrol show job -d', () => {
  it('reads the indexes of each GPU the job got (recorded output)', () => {
    expect(parseJobGpus(TWO_GPUS_SPLIT)).toEqual([{ id: '1' }, { id: '3' }]);
    expect(parseJobGpus(TWO_GPUS_ONE_LINE)).toEqual([{ id: '0' }, { id: '1' }]);
  });

  it('gives none when the job has no GPUs (recorded output), not the job total of JOB_GRES', () => {
    expect(parseJobGpus(NO_GPUS)).toEqual([]);
    expect(parseJobGpus('JobId=3 JOB_GRES=gpu:2 NodeList=vm')).toEqual([]);
    expect(parseJobGpus('')).toEqual([]);
  });

  it('names typed GPUs and reads several entries of a node', () => {
    expect(parseJobGpus(node('gpu7', 'gpu:a100:2(IDX:0-1)'))).toEqual([{ id: '0', name: 'a100' }, { id: '1', name: 'a100' }]);
    expect(parseJobGpus(node('gpu7', 'gpu:a100:1(IDX:2),gpu:v100:2(IDX:4,6)'))).toEqual([
      { id: '2', name: 'a100' }, { id: '4', name: 'v100' }, { id: '6', name: 'v100' },
    ]);
  });

  it('gives none where Slurm does not say which GPUs, and skips other GRES', () => {
    expect(parseJobGpus(node('gpu7', 'gpu(CNT:2)'))).toEqual([]);
    expect(parseJobGpus(node('gpu7', 'gpu:2(IDX:N/A)'))).toEqual([]);
    expect(parseJobGpus(node('gpu7', 'nic:1(IDX:0),gpu:1(IDX:3)'))).toEqual([{ id: '3' }]);
  });

  it('takes the first node of a job on several', () => {
    expect(parseJobGpus(node('gpu1', 'gpu:1(IDX:2)') + node('gpu2', 'gpu:1(IDX:0)'))).toEqual([{ id: '2' }]);
  });

  it('expands index lists', () => {
    expect(expandIndexList('0-2,5,7-8')).toEqual(['0', '1', '2', '5', '7', '8']);
    expect(expandIndexList('N/A')).toEqual([]);
  });
});
