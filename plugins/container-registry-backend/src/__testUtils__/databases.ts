import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

const POSTGRES_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

/**
 * SQLite always, and PostgreSQL 15 through the connection string the test command exports.
 * Under CI a missing PostgreSQL is an error, never a silent skip.
 */
export function createTestDatabases(): TestDatabases {
  const ids: TestDatabaseId[] = ['SQLITE_3'];
  if (process.env[POSTGRES_ENV]) {
    ids.push('POSTGRES_15');
  } else if (process.env.CI) {
    throw new Error(
      `${POSTGRES_ENV} is not set: run the tests through ./run test, which starts PostgreSQL`,
    );
  }
  return TestDatabases.create({ ids });
}
