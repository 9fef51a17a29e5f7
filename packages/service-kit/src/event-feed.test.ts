import { Migration } from '@mikro-orm/migrations';
import type { MikroORM } from '@mikro-orm/postgresql';
import { openDatabase } from './database.js';
import { EventFeed } from './event-feed.js';
import { createLogger } from './logger.js';
import { outboxTablesSql, publishEvent, type OutboxEvent } from './outbox.js';
import { createTestDatabase, eventually, type TestDatabase } from './testing/index.js';

function outboxMigration(schema: string) {
  return class extends Migration {
    override async up(): Promise<void> {
      for (const sql of outboxTablesSql(schema)) this.addSql(sql);
      this.addSql(`CREATE TABLE "${schema}".seen (event_id text PRIMARY KEY)`);
    }
  };
}

describe('outbox events and EventFeed', () => {
  let db: TestDatabase;
  let producer: MikroORM;
  let consumerOrm: MikroORM;
  const log = createLogger('test', () => undefined);

  beforeAll(async () => {
    db = await createTestDatabase();
    producer = await openDatabase({ url: db.url, schema: 'alpha', entities: [], migrations: [{ name: 'M1', class: outboxMigration('alpha') }] });
    consumerOrm = await openDatabase({ url: db.url, schema: 'beta', entities: [], migrations: [{ name: 'M1', class: outboxMigration('beta') }] });
  });
  afterAll(async () => {
    await producer?.close();
    await consumerOrm?.close();
    await db?.drop();
  });

  const publish = (n: number) =>
    producer.em.fork().transactional((em) => publishEvent(em, 'alpha', { topic: 't', aggregateId: `a${n}`, tenant: 'x', payload: { n } }));

  it('rejects changes to published events (append-only outbox)', async () => {
    await publish(0);
    await expect(producer.em.getConnection().execute('DELETE FROM alpha.outbox_event')).rejects.toThrow(/append-only/);
  });

  it('delivers every event exactly once to a durable consumer, in commit-safe order, even when commits interleave', async () => {
    const handled: number[] = [];
    const feed = new EventFeed(consumerOrm, 'beta', db.url, log, 200);
    feed.addConsumer({
      name: 'beta-from-alpha', source: 'alpha', topics: ['t'],
      handle: async (e: OutboxEvent, em) => {
        await em.execute('INSERT INTO beta.seen (event_id) VALUES (?)', [e.id], 'run');
        handled.push(e.payload.n as number);
      },
    });
    await feed.start();
    // A long transaction takes its id first but commits after a later one.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const slow = producer.em.fork().transactional(async (em) => {
      await publishEvent(em, 'alpha', { topic: 't', aggregateId: 'slow', tenant: 'x', payload: { n: 100 } });
      await held;
    });
    await new Promise((r) => setTimeout(r, 100));
    for (let i = 1; i <= 20; i++) await publish(i);
    await new Promise((r) => setTimeout(r, 500));
    // Rows of later transactions wait behind the open one: no consumer can skip past it.
    expect(handled).not.toContain(100);
    expect(handled.filter((n) => n > 0)).toEqual([]);
    release();
    await slow;
    await eventually(() => handled.includes(100));
    await feed.drain();
    await feed.stop();
    expect(handled.filter((n) => n !== 0).sort((a, b) => a - b)).toEqual([...Array.from({ length: 20 }, (_, i) => i + 1), 100]);
    expect(new Set(handled).size).toBe(handled.length);
  });

  it('resumes from its durable offset after a restart without redelivering', async () => {
    const again: number[] = [];
    const feed = new EventFeed(consumerOrm, 'beta', db.url, log, 200);
    feed.addConsumer({ name: 'beta-from-alpha', source: 'alpha', topics: ['t'], handle: async (e) => void again.push(e.payload.n as number) });
    await feed.start();
    await publish(200);
    await eventually(() => again.includes(200));
    await feed.stop();
    expect(again).toEqual([200]);
  });

  it('delivers every event of a transaction larger than one read batch, in order (ids 9 and 10 and 100 and beyond)', async () => {
    const got: number[] = [];
    const feed = new EventFeed(consumerOrm, 'beta', db.url, log, 200);
    feed.addConsumer({ name: 'beta-big-tx', source: 'alpha', topics: ['big'], handle: async (e) => void got.push(e.payload.n as number) });
    await feed.start();
    // 450 events in one transaction: more than two read batches of 200, ids crossing 9→10, 99→100, 999→1000.
    await producer.em.fork().transactional(async (em) => {
      for (let n = 0; n < 450; n++) await publishEvent(em, 'alpha', { topic: 'big', aggregateId: `b${n}`, tenant: 'x', payload: { n } });
    });
    await eventually(() => got.length >= 450, 20_000);
    await feed.drain();
    await feed.stop();
    expect(got).toEqual(Array.from({ length: 450 }, (_, n) => n));
  });

  it('fans live events out to in-process subscribers', async () => {
    const feed = new EventFeed(consumerOrm, 'beta', db.url, log, 200);
    await feed.start();
    const got: number[] = [];
    const off = feed.subscribe('alpha', (e) => got.push(e.payload.n as number));
    await new Promise((r) => setTimeout(r, 300));
    await publish(300);
    await publish(301);
    await eventually(() => got.length === 2);
    off();
    await feed.stop();
    expect(got).toEqual([300, 301]);
  });
});
