// @ts-check

/**
 * Cancelling a crawl from any replica: the request is a flag on the run, which the replica
 * running it reads with its heartbeat. And what started each run.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('crawl_runs', table => {
    table.boolean('cancel_requested').notNullable().defaultTo(false);
    table.string('trigger', 16).nullable().comment('schedule or manual');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('crawl_runs', table => {
    table.dropColumn('cancel_requested');
    table.dropColumn('trigger');
  });
};
