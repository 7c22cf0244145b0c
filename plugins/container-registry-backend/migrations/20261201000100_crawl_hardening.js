// @ts-check

/**
 * Where an image's date and labels were read, and a heartbeat per crawl run so that a run whose
 * backend stopped can be told from one still going on another replica.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('images', table => {
    table
      .string('details_source', 32)
      .nullable()
      .comment(
        'image-config, index-annotations, platform-image or product-api',
      );
  });
  await knex.schema.alterTable('crawl_runs', table => {
    table
      .string('heartbeat_at', 40)
      .nullable()
      .comment('last sign of life of the crawl while it runs');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('crawl_runs', table => {
    table.dropColumn('heartbeat_at');
  });
  await knex.schema.alterTable('images', table => {
    table.dropColumn('details_source');
  });
};
