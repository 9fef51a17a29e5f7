import { Migration } from '@mikro-orm/migrations';

/**
 * Pruning: trials may end `pruned`; every pruning decision (prune or continue) is an append-only
 * record with the pruner, its version and options, the report it was made on, the inputs and the
 * SHA-256 of the context it saw.
 */
export class M0006Pruning extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE experiments.trial DROP CONSTRAINT trial_state_check`);
    this.addSql(`ALTER TABLE experiments.trial ADD CONSTRAINT trial_state_check
      CHECK (state IN ('pending', 'running', 'succeeded', 'failed', 'cancelled', 'pruned'))`);
    this.addSql(`CREATE TABLE experiments.prune_decision (
      id bigserial PRIMARY KEY,
      experiment_id uuid NOT NULL REFERENCES experiments.experiment(id),
      trial_id uuid NOT NULL REFERENCES experiments.trial(id),
      tenant text NOT NULL,
      trial_index integer NOT NULL,
      metric_id bigint NOT NULL UNIQUE REFERENCES experiments.trial_metric(id),
      step integer NOT NULL,
      value double precision NOT NULL,
      pruner text NOT NULL,
      pruner_version text NOT NULL,
      options jsonb NOT NULL,
      prune boolean NOT NULL,
      reason text NOT NULL,
      inputs jsonb NOT NULL,
      inputs_sha256 char(64) NOT NULL,
      decided_by text NOT NULL,
      decided_at timestamptz NOT NULL DEFAULT now()
    )`);
    this.addSql(`CREATE INDEX prune_decision_experiment ON experiments.prune_decision (experiment_id, metric_id)`);
    // At most one prune per trial: the decision that stopped it.
    this.addSql(`CREATE UNIQUE INDEX prune_decision_one_prune ON experiments.prune_decision (trial_id) WHERE prune`);
    this.addSql(`CREATE FUNCTION experiments.prune_decision_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'prune decisions are append-only: % is not allowed', TG_OP; END $$`);
    this.addSql(`CREATE TRIGGER prune_decision_append_only BEFORE UPDATE OR DELETE ON experiments.prune_decision
      FOR EACH ROW EXECUTE FUNCTION experiments.prune_decision_append_only()`);
  }
}
