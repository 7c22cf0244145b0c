// @ts-check

/**
 * Links of images to their Component and owner, resolved per repository and stored with every
 * image so the catalog, the images API and the table agree and can filter by them; manual
 * links; and the first and last time each image was seen.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('images', table => {
    table
      .string('source', 1024)
      .nullable()
      .comment('the source label, normalized to host/path of its repository');
    table.string('component', 255).nullable().comment('full entity ref');
    table.string('owner', 255).nullable().comment('full entity ref');
    table
      .string('linked_by', 16)
      .nullable()
      .comment('manual, annotation, source or config');
    table.string('first_seen', 40).nullable();
    table.string('last_seen', 40).nullable();
    table.index(['component']);
    table.index(['owner']);
    table.index(['registry_id', 'deleted', 'repository']);
    table.index(['deleted', 'created']);
    table.index(['deleted', 'pushed']);
  });

  await knex.schema.createTable('repository_links', table => {
    table.string('registry_id', 63).notNullable();
    table.string('repository', 255).notNullable();
    table.string('component', 255).notNullable().comment('full entity ref');
    table.string('created_by', 255).nullable();
    table.string('created_at', 40).notNullable();
    table.primary(['registry_id', 'repository']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('repository_links');
  await knex.schema.alterTable('images', table => {
    table.dropIndex(['component']);
    table.dropIndex(['owner']);
    table.dropIndex(['registry_id', 'deleted', 'repository']);
    table.dropIndex(['deleted', 'created']);
    table.dropIndex(['deleted', 'pushed']);
    table.dropColumn('source');
    table.dropColumn('component');
    table.dropColumn('owner');
    table.dropColumn('linked_by');
    table.dropColumn('first_seen');
    table.dropColumn('last_seen');
  });
};
