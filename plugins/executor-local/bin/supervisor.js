#!/usr/bin/env node
// The local executor's supervisor: one per executor instance, started in its own session. It spawns
// the trials it is asked to (each in its own process group), owns them, and records in each
// attempt directory what the executor needs to follow the attempt without it:
//   pid.json        {pid, start}: the trial's pid and its start time (clock ticks since boot)
//   stdout.log      raw stdout, up to `limit` bytes
//   stderr.log      raw stderr, up to `limit` bytes
//   stdout.overflow `<stream offset> <line>` for each FAIRSWEEP_METRIC line that did not fit in stdout.log
//   exit.json       {code, signal, error, stdoutBytes, stderrBytes, at}, written atomically, last
// When the executor goes away (its IPC channel closes) the supervisor keeps its trials running and
// recording, and exits once the last one has ended. Plain CommonJS, no dependencies: it starts fast.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const DRAIN_MS = 2000;
const PING_MS = 20;
const MAX_LINE = 1 << 16; // longer lines are never metric lines worth keeping past the limit
const METRIC_LINE = /^\s*FAIRSWEEP_METRIC(\s|$)/;
const running = new Map();
let connected = typeof process.send === 'function';

function send(message) {
  if (!connected) return;
  try {
    process.send(message);
  } catch {
    connected = false;
  }
}

/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot (null off Linux). */
function startTicks(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function writeAtomic(file, value) {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, `${JSON.stringify(value)}\n`);
  fs.renameSync(tmp, file);
}

/** One output stream: raw bytes into its file up to `limit`; on stdout, metric lines past it into the overflow file. */
class Capture {
  constructor(file, limit, overflowFile) {
    this.fd = fs.openSync(file, 'w');
    this.limit = limit;
    this.overflowFile = overflowFile;
    this.overflowFd = null;
    this.kept = 0;
    this.bytes = 0;
    this.lineStart = 0;
    this.line = [];
    this.lineLen = 0;
  }

  write(chunk) {
    const room = this.limit - this.kept;
    if (room > 0) {
      const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
      fs.writeSync(this.fd, part);
      this.kept += part.length;
    }
    if (this.overflowFile !== null) this.scan(chunk);
    this.bytes += chunk.length;
  }

  scan(chunk) {
    let i = 0;
    while (i < chunk.length) {
      const newline = chunk.indexOf(10, i);
      const end = newline === -1 ? chunk.length : newline;
      if (this.lineLen < MAX_LINE) this.line.push(chunk.subarray(i, end));
      this.lineLen += end - i;
      if (newline === -1) break;
      this.endLine(1);
      i = newline + 1;
    }
  }

  /** A line is complete (`newline` 1) or the stream ended (0). Past the limit, metric lines are kept aside. */
  endLine(newline) {
    if (this.lineStart + this.lineLen + newline > this.limit && this.lineLen > 0 && this.lineLen < MAX_LINE) {
      const text = Buffer.concat(this.line).toString('utf8').replace(/\r$/, '');
      if (METRIC_LINE.test(text)) {
        if (this.overflowFd === null) this.overflowFd = fs.openSync(this.overflowFile, 'a');
        fs.writeSync(this.overflowFd, `${this.lineStart} ${text}\n`);
      }
    }
    this.lineStart += this.lineLen + newline;
    this.line = [];
    this.lineLen = 0;
  }

  close() {
    if (this.overflowFile !== null && this.lineLen > 0) this.endLine(0);
    fs.closeSync(this.fd);
    if (this.overflowFd !== null) fs.closeSync(this.overflowFd);
  }
}

function onSpawn(m) {
  const outputs = [new Capture(path.join(m.dir, 'stdout.log'), m.limit, path.join(m.dir, 'stdout.overflow')), new Capture(path.join(m.dir, 'stderr.log'), m.limit, null)];
  const entry = { child: null, pingTimer: null, done: false };
  running.set(m.id, entry);
  const ping = () => {
    if (entry.pingTimer === null) entry.pingTimer = setTimeout(() => ((entry.pingTimer = null), send({ t: 'o', id: m.id })), PING_MS);
  };
  const finish = (record) => {
    if (entry.done) return;
    entry.done = true;
    clearTimeout(entry.pingTimer);
    for (const o of outputs) {
      try {
        o.close();
      } catch (error) {
        process.stderr.write(`[supervisor] closing output of ${m.id}: ${error.message}\n`);
      }
    }
    const full = { ...record, stdoutBytes: outputs[0].bytes, stderrBytes: outputs[1].bytes, at: new Date().toISOString() };
    try {
      writeAtomic(path.join(m.dir, 'exit.json'), full);
    } catch (error) {
      process.stderr.write(`[supervisor] recording the exit of ${m.id}: ${error.message}\n`);
    }
    running.delete(m.id);
    send({ t: 'x', id: m.id, ...full });
    exitIfIdle();
  };
  let child;
  try {
    child = spawn(m.program, m.args, { cwd: m.dir, env: m.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    return finish({ code: null, signal: null, error: error.message });
  }
  entry.child = child;
  child.on('error', (error) => {
    if (child.pid !== undefined) return; // a failed kill of a running child; 'exit' still follows
    child.stdout?.destroy();
    child.stderr?.destroy();
    finish({ code: null, signal: null, error: error.message });
  });
  child.once('spawn', () => {
    try {
      writeAtomic(path.join(m.dir, 'pid.json'), { pid: child.pid, start: startTicks(child.pid) });
    } catch (error) {
      process.stderr.write(`[supervisor] recording the pid of ${m.id}: ${error.message}\n`);
    }
    send({ t: 's', id: m.id, pid: child.pid });
  });
  child.stdout.on('data', (chunk) => (outputs[0].write(chunk), ping()));
  child.stderr.on('data', (chunk) => (outputs[1].write(chunk), ping()));
  child.once('exit', (code, signal) => {
    try {
      process.kill(-child.pid, 'SIGKILL'); // whatever the trial left behind in its group goes with it
    } catch {
      // ESRCH: the group is already gone
    }
    const open = [child.stdout, child.stderr].filter((s) => s && !s.closed && !s.destroyed);
    let timer;
    const drained = () => {
      clearTimeout(timer);
      for (const s of open) s.destroy();
      finish({ code, signal, error: null });
    };
    if (open.length === 0) return drained();
    timer = setTimeout(drained, DRAIN_MS);
    let left = open.length;
    for (const s of open) s.once('close', () => --left === 0 && drained());
  });
}

function exitIfIdle() {
  if (!connected && running.size === 0) process.exit(0);
}

process.on('message', (m) => {
  if (m && m.t === 'spawn') onSpawn(m);
});
process.on('disconnect', () => {
  connected = false;
  exitIfIdle();
});
process.on('SIGHUP', () => undefined);
send({ t: 'ready', pid: process.pid, start: startTicks(process.pid) });
