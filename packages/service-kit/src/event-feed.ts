import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import { quoteIdent } from './database.js';
import { EVENTS_CHANNEL, eventsAfterSql, rowToEvent, type EventRow, type OutboxEvent } from './outbox.js';
import type { Logger } from './logger.js';

export interface ConsumerDefinition {
  /** Durable name: the offset is stored under it in the consumer's own schema. */
  name: string;
  /** The schema (service) whose outbox is read. */
  source: string;
  /** Topics handled; others are skipped (offset still advances). */
  topics: string[];
  /** Runs inside the transaction that advances the offset: effects and offset commit together. */
  handle(event: OutboxEvent, em: EntityManager): Promise<void>;
}

type Listener = (event: OutboxEvent) => void;

const BATCH = 200;

/**
 * Reads other services' outboxes for one service. Woken by LISTEN/NOTIFY; polls as a fallback.
 * - Durable consumers: exactly-once effects (handler + offset in one transaction, offset row
 *   locked so replicas take turns).
 * - Live feeds: an in-memory cursor per source, fanned out to subscriptions in this process.
 */
export class EventFeed {
  private listenClient: pg.Client | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly consumers: ConsumerDefinition[] = [];
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly waitingFor = new Set<string>();
  private readonly live = new Map<string, { cursor: { txid: string; id: string } | null; listeners: Set<Listener>; reading: boolean; again: boolean }>();

  constructor(
    private readonly orm: MikroORM,
    private readonly ownSchema: string,
    private readonly url: string,
    private readonly log: Logger,
    private readonly pollIntervalMs = 1000,
  ) {}

  addConsumer(def: ConsumerDefinition): void {
    this.consumers.push(def);
  }

  async start(): Promise<void> {
    await this.connectListener();
    this.pollTimer = setInterval(() => this.wakeAll(), this.pollIntervalMs);
    this.pollTimer.unref();
    this.wakeAll();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    await Promise.allSettled([...this.running.values()]);
    const client = this.listenClient;
    this.listenClient = null;
    await client?.end().catch(() => undefined);
  }

  /** Subscribes to events of `source` committed from now on; returns the unsubscribe function. */
  subscribe(source: string, listener: Listener): () => void {
    let feed = this.live.get(source);
    if (!feed) {
      feed = { cursor: null, listeners: new Set(), reading: false, again: false };
      this.live.set(source, feed);
    }
    feed.listeners.add(listener);
    if (!feed.cursor) void this.readLive(source);
    return () => feed!.listeners.delete(listener);
  }

  /** Processes pending events of every consumer now (tests and shutdown use it). */
  async drain(): Promise<void> {
    for (const c of this.consumers) await this.runConsumer(c);
  }

  private async connectListener(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (msg) => this.wake(msg.payload ?? ''));
    client.on('error', (err) => {
      this.log.warn('event listener connection lost; polling until it is back', { error: err.message });
      this.listenClient = null;
      setTimeout(() => void this.connectListener().catch(() => undefined), 1000).unref();
    });
    await client.connect();
    await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    this.listenClient = client;
  }

  private wakeAll(): void {
    const sources = new Set([...this.consumers.map((c) => c.source), ...this.live.keys()]);
    for (const s of sources) this.wake(s);
  }

  private wake(source: string): void {
    if (this.stopped) return;
    for (const c of this.consumers) if (c.source === source) this.schedule(c);
    if (this.live.has(source)) void this.readLive(source);
  }

  private schedule(c: ConsumerDefinition): void {
    if (this.running.has(c.name)) {
      this.again.add(c.name);
      return;
    }
    const run = this.runConsumer(c)
      .catch((err) => {
        if ((err as { code?: string }).code === '42P01' || /relation .*outbox_event.* does not exist/.test(String((err as Error).message))) {
          // The producing service has not created its outbox yet (it is still starting).
          if (!this.waitingFor.has(c.source)) this.log.info(`waiting for ${c.source} to create its outbox`, { consumer: c.name });
          this.waitingFor.add(c.source);
          return;
        }
        this.log.error(`consumer ${c.name} failed; will retry`, err);
      })
      .finally(() => {
        this.running.delete(c.name);
        if (this.again.delete(c.name) && !this.stopped) this.schedule(c);
      });
    this.running.set(c.name, run);
  }

  private async runConsumer(c: ConsumerDefinition): Promise<void> {
    for (;;) {
      const n = await this.runBatch(c);
      if (n < BATCH || this.stopped) return;
    }
  }

  private async runBatch(c: ConsumerDefinition): Promise<number> {
    const own = quoteIdent(this.ownSchema);
    return this.orm.em.fork().transactional(async (em) => {
      await em.execute(`INSERT INTO ${own}.consumer_offset (consumer, source) VALUES (?, ?) ON CONFLICT DO NOTHING`, [c.name, c.source], 'run');
      const [offset] = await em.execute<{ last_txid: string; last_id: string }[]>(
        `SELECT last_txid::text AS last_txid, last_id::text AS last_id FROM ${own}.consumer_offset WHERE consumer = ? FOR UPDATE`,
        [c.name],
      );
      const rows = await em.execute<EventRow[]>(eventsAfterSql(c.source), [offset!.last_txid, offset!.last_id, BATCH]);
      for (const row of rows) {
        const event = rowToEvent(c.source, row);
        if (c.topics.includes(event.topic)) await c.handle(event, em);
      }
      if (rows.length > 0) {
        const last = rows[rows.length - 1]!;
        await em.execute(
          `UPDATE ${own}.consumer_offset SET last_txid = ?::xid8, last_id = ?, updated_at = now() WHERE consumer = ?`,
          [String(last.txid), String(last.id), c.name],
          'run',
        );
      }
      return rows.length;
    });
  }

  private async readLive(source: string): Promise<void> {
    const feed = this.live.get(source);
    if (!feed) return;
    if (feed.reading) {
      feed.again = true;
      return;
    }
    feed.reading = true;
    try {
      const conn = this.orm.em.getConnection();
      if (!feed.cursor) {
        const [last] = await conn.execute<{ txid: string; id: string }[]>(
          `SELECT txid::text AS txid, id::text AS id FROM ${quoteIdent(source)}.outbox_event
           WHERE txid < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY outbox_event.txid DESC, outbox_event.id DESC LIMIT 1`, // columns, not the text aliases
        );
        feed.cursor = last ? { txid: last.txid, id: last.id } : { txid: '0', id: '0' };
      }
      for (;;) {
        const rows = await conn.execute<EventRow[]>(eventsAfterSql(source), [feed.cursor.txid, feed.cursor.id, BATCH]);
        for (const row of rows) {
          const event = rowToEvent(source, row);
          feed.cursor = { txid: event.txid, id: event.id };
          for (const l of feed.listeners) {
            try {
              l(event);
            } catch (err) {
              this.log.error('live event listener failed', err);
            }
          }
        }
        if (rows.length < BATCH) break;
      }
    } catch (err) {
      if (!this.stopped) this.log.warn('reading live events failed; will retry', { source, error: (err as Error).message });
    } finally {
      feed.reading = false;
      if (feed.again && !this.stopped) {
        feed.again = false;
        void this.readLive(source);
      }
    }
  }
}
