import type { EntityManager } from '@mikro-orm/postgresql';
import { quoteIdent } from './database.js';

/** The NOTIFY channel every outbox write signals; the payload is the producing schema's name. */
export const EVENTS_CHANNEL = 'fairsweep_events';

/** An event as consumers see it. `position` orders events of one source without gaps. */
export interface OutboxEvent<P = Record<string, unknown>> {
  source: string;
  id: string;
  txid: string;
  topic: string;
  aggregateId: string;
  tenant: string;
  payload: P;
  createdAt: Date;
}

export interface NewEvent {
  topic: string;
  aggregateId: string;
  tenant: string;
  payload: Record<string, unknown>;
}

/**
 * SQL for the outbox and consumer-offset tables, for a service's first migration.
 * `txid` records the writing transaction so readers can skip rows of transactions still in flight
 * (`txid < pg_snapshot_xmin(pg_current_snapshot())`) and never miss a row committed out of order.
 */
export function outboxTablesSql(schema: string): string[] {
  const s = quoteIdent(schema);
  return [
    `CREATE TABLE ${s}.outbox_event (
      id bigserial PRIMARY KEY,
      txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
      topic text NOT NULL,
      aggregate_id text NOT NULL,
      tenant text NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp()
    )`,
    `CREATE INDEX outbox_event_position ON ${s}.outbox_event (txid, id)`,
    `CREATE TABLE ${s}.consumer_offset (
      consumer text PRIMARY KEY,
      source text NOT NULL,
      last_txid xid8 NOT NULL DEFAULT '0',
      last_id bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
    // The outbox is an append-only record: rows may be added, never changed or removed.
    `CREATE FUNCTION ${s}.outbox_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'outbox events are append-only (% on %.outbox_event)', TG_OP, TG_TABLE_SCHEMA; END $$`,
    `CREATE TRIGGER outbox_append_only BEFORE UPDATE OR DELETE ON ${s}.outbox_event
      FOR EACH ROW EXECUTE FUNCTION ${s}.outbox_append_only()`,
  ];
}

/** Writes an event in the caller's transaction and signals listeners once it commits. */
export async function publishEvent(em: EntityManager, schema: string, event: NewEvent): Promise<void> {
  const s = quoteIdent(schema);
  await em.execute(
    `INSERT INTO ${s}.outbox_event (topic, aggregate_id, tenant, payload) VALUES (?, ?, ?, ?)`,
    [event.topic, event.aggregateId, event.tenant, JSON.stringify(event.payload)],
    'run',
  );
  await em.execute(`SELECT pg_notify(?, ?)`, [EVENTS_CHANNEL, schema], 'all');
}

export interface EventRow {
  id: string;
  txid: string;
  topic: string;
  aggregate_id: string;
  tenant: string;
  payload: Record<string, unknown>;
  created_at: Date | string;
}

/**
 * The next events after a (txid, id) cursor, in commit-safe order. ORDER BY names the table's
 * columns: the bare names would sort by the text aliases of the select list ("10" before "9"),
 * and a batch boundary inside one large transaction would then skip events for good.
 */
export function eventsAfterSql(source: string): string {
  return `SELECT id::text AS id, txid::text AS txid, topic, aggregate_id, tenant, payload, created_at
    FROM ${quoteIdent(source)}.outbox_event
    WHERE (txid, id) > (?::xid8, ?::bigint) AND txid < pg_snapshot_xmin(pg_current_snapshot())
    ORDER BY outbox_event.txid, outbox_event.id LIMIT ?`;
}

export function rowToEvent(source: string, row: EventRow): OutboxEvent {
  return {
    source,
    id: String(row.id),
    txid: String(row.txid),
    topic: row.topic,
    aggregateId: row.aggregate_id,
    tenant: row.tenant,
    payload: typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload,
    createdAt: new Date(row.created_at),
  };
}
