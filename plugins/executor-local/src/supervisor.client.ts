import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ExitRecord } from './attempt.records.js';

/** The supervisor script shipped with the package (plain JavaScript, so src/ and dist/ both find it). */
export const SUPERVISOR_SCRIPT = resolve(__dirname, '..', 'bin', 'supervisor.js');

export interface SpawnRequest {
  id: string;
  dir: string;
  program: string;
  args: string[];
  env: Record<string, string>;
  /** Bytes of each stream kept in its log file. */
  limit: number;
}

export type SupervisorMessage =
  | { t: 's'; id: string; pid: number }
  | { t: 'o'; id: string }
  | ({ t: 'x'; id: string } & ExitRecord)
  /** The supervisor died (not through disconnect): the attempt's exit may not have been recorded. */
  | { t: 'gone'; id: string; why: string };

export interface SupervisorIdentity {
  pid: number;
  start: string | null;
}

/**
 * The executor's end of its supervisor process: started on first use in its own session (so it
 * survives this process), spoken to over an IPC channel. While attempts are in flight the channel
 * keeps this process alive; when idle it does not.
 */
export class SupervisorClient {
  private proc: ChildProcess | null = null;
  private ready: Promise<SupervisorIdentity> | null = null;
  private readonly handlers = new Map<string, (m: SupervisorMessage) => void>();

  constructor(private readonly workRoot: string) {}

  /** Starts the supervisor unless it runs; resolves with its pid and start time. */
  ensure(): Promise<SupervisorIdentity> {
    if (this.ready) return this.ready;
    this.ready = new Promise<SupervisorIdentity>((resolveReady, reject) => {
      mkdirSync(this.workRoot, { recursive: true });
      const logFd = openSync(join(this.workRoot, '.supervisor.log'), 'a');
      let proc: ChildProcess;
      try {
        proc = spawn(process.execPath, [SUPERVISOR_SCRIPT], {
          detached: true,
          stdio: ['ignore', 'ignore', logFd, 'ipc'],
          env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
        });
      } finally {
        closeSync(logFd);
      }
      this.proc = proc;
      let identity: SupervisorIdentity | null = null;
      proc.on('message', (m: { t: string; id?: string; pid?: number; start?: string | null }) => {
        if (m.t === 'ready') {
          identity = { pid: m.pid!, start: m.start ?? null };
          this.refresh();
          return resolveReady(identity);
        }
        if (m.id !== undefined) this.handlers.get(m.id)?.(m as SupervisorMessage);
      });
      proc.once('error', (error) => {
        this.forget(proc);
        reject(new Error(`could not start the supervisor (${SUPERVISOR_SCRIPT}): ${error.message}`));
      });
      proc.once('exit', (code, signal) => {
        this.forget(proc);
        if (!identity) return reject(new Error(`the supervisor exited before it was ready (code ${code}, signal ${signal}); see ${join(this.workRoot, '.supervisor.log')}`));
        const why = `the supervisor (pid ${identity.pid}) exited unexpectedly (code ${code}, signal ${signal})`;
        for (const [id, handler] of [...this.handlers]) handler({ t: 'gone', id, why });
      });
    });
    return this.ready;
  }

  /** Asks the supervisor to spawn an attempt; its messages go to `onMessage` until `release(id)`. */
  spawn(request: SpawnRequest, onMessage: (m: SupervisorMessage) => void): void {
    this.handlers.set(request.id, onMessage);
    this.refresh();
    if (!this.proc?.connected) {
      queueMicrotask(() => onMessage({ t: 'gone', id: request.id, why: 'the supervisor is not running' }));
      return;
    }
    this.proc.send({ t: 'spawn', ...request });
  }

  release(id: string): void {
    this.handlers.delete(id);
    this.refresh();
  }

  /** Stops talking to the supervisor; it keeps supervising its trials and exits after the last one. */
  disconnect(): void {
    const proc = this.proc;
    this.handlers.clear();
    if (proc?.connected) proc.disconnect();
    if (proc) this.forget(proc);
  }

  private forget(proc: ChildProcess): void {
    if (this.proc !== proc) return;
    proc.unref();
    this.proc = null;
    this.ready = null;
  }

  /** Holds this process open while attempts are in flight, not when idle. */
  private refresh(): void {
    const proc = this.proc;
    if (!proc) return;
    const channel = (proc as ChildProcess & { channel?: { ref(): void; unref(): void } }).channel;
    if (this.handlers.size > 0) {
      proc.ref();
      channel?.ref();
    } else {
      proc.unref();
      channel?.unref();
    }
  }
}
