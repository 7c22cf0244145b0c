import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

const POSTGRES_ENV =
  /^BACKSTAGE_TEST_DATABASE_POSTGRES(\d+)_CONNECTION_STRING$/;

/**
 * SQLite always, and PostgreSQL through the connection string the test command exports.
 * Under CI a missing PostgreSQL is an error, never a silent skip.
 */
export function createTestDatabases(): TestDatabases {
  const ids: TestDatabaseId[] = ['SQLITE_3'];
  const postgres = Object.keys(process.env)
    .map(name => POSTGRES_ENV.exec(name)?.[1])
    .filter((major): major is string =>
      Boolean(
        major &&
          process.env[
            `BACKSTAGE_TEST_DATABASE_POSTGRES${major}_CONNECTION_STRING`
          ],
      ),
    );
  for (const major of postgres) ids.push(`POSTGRES_${major}` as TestDatabaseId);
  if (postgres.length === 0 && process.env.CI) {
    throw new Error(
      'No BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING: run the tests through ./run test, which starts PostgreSQL',
    );
  }
  return TestDatabases.create({ ids });
}
