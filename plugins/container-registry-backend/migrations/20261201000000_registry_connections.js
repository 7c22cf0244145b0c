// @ts-check

/**
 * Registry connections made on the Registries page, with their credentials encrypted.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('registry_connections', table => {
    table.string('id', 63).primary();
    table
      .text('settings')
      .notNullable()
      .comment('JSON object of the connection settings, without credentials');
    table
      .text('secrets')
      .notNullable()
      .comment('JSON object of field path to encrypted value');
    table.string('created_at', 40).notNullable();
    table.string('updated_at', 40).notNullable();
    table
      .integer('revision')
      .notNullable()
      .comment('taken from registry_connection_revision on every change');
  });

  // One row counting changes to connections. Every change takes the next value, so a
  // connection deleted and made again never repeats a revision a replica has seen, and
  // its row lock orders concurrent writers.
  await knex.schema.createTable('registry_connection_revision', table => {
    table.integer('id').primary();
    table.integer('value').notNullable();
  });
  await knex('registry_connection_revision').insert({ id: 1, value: 0 });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('registry_connection_revision');
  await knex.schema.dropTable('registry_connections');
};
