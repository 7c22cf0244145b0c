// @ts-check

/**
 * The image inventory, its change feed, and each registry's status and crawl history.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('images', table => {
    table.increments('id');
    table.string('registry_id', 63).notNullable();
    table.string('repository', 255).notNullable();
    table.string('digest', 71).notNullable();
    table.string('entity_name', 63).notNullable().unique();
    table.string('media_type', 255).notNullable();
    table.text('tags').notNullable().comment('JSON array of tag names');
    table
      .text('platforms')
      .notNullable()
      .comment('JSON array of {os, architecture, variant, digest}');
    table.text('labels').notNullable().comment('JSON object');
    table
      .string('created', 40)
      .nullable()
      .comment('ISO date the image was built');
    table
      .string('pushed', 40)
      .nullable()
      .comment('ISO date the image was pushed');
    table.string('lifecycle', 16).notNullable();
    table.boolean('deleted').notNullable().defaultTo(false);
    table
      .bigInteger('seq')
      .notNullable()
      .comment('position in the change feed');
    table.integer('last_seen_run').nullable();
    table.unique(['registry_id', 'repository', 'digest']);
    table.index(['seq']);
    table.index(['digest']);
  });

  // One row holding the last change-feed position; its lock orders concurrent writers.
  await knex.schema.createTable('change_sequence', table => {
    table.integer('id').primary();
    table.bigInteger('value').notNullable();
  });
  await knex('change_sequence').insert({ id: 1, value: 0 });

  await knex.schema.createTable('registry_status', table => {
    table.string('registry_id', 63).primary();
    table.string('status', 16).notNullable();
    table.text('message').nullable();
    table
      .text('progress')
      .nullable()
      .comment('JSON counts of the running crawl');
    table.string('updated_at', 40).notNullable();
  });

  await knex.schema.createTable('crawl_runs', table => {
    table.increments('id');
    table.string('registry_id', 63).notNullable();
    table.string('started_at', 40).notNullable();
    table.string('finished_at', 40).nullable();
    table.string('outcome', 16).notNullable();
    table.integer('repositories').notNullable().defaultTo(0);
    table.integer('tags').notNullable().defaultTo(0);
    table.integer('images').notNullable().defaultTo(0);
    table.integer('errors').notNullable().defaultTo(0);
    table.text('message').nullable();
    table.text('report').nullable().comment('JSON crawl report');
    table.index(['registry_id', 'id']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('crawl_runs');
  await knex.schema.dropTable('registry_status');
  await knex.schema.dropTable('change_sequence');
  await knex.schema.dropTable('images');
};
