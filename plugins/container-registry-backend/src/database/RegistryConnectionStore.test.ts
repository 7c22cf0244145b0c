import { mockServices } from '@backstage/backend-test-utils';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { randomBytes } from 'node:crypto';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';
import { SecretBox, SecretKey } from '../secrets/SecretBox';
import {
  RegistryConnectionStore,
  secretContext,
} from './RegistryConnectionStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const PASSWORD = 'hunter2-the-registry-password';
const TOKEN = 'glpat-registry-api-token-value';
const settings = {
  name: 'Harbor',
  type: 'harbor',
  url: 'https://harbor.example.com',
  auth: { type: 'basic', username: 'robot$crawler' },
};

const newKey = (id: string): SecretKey => ({ id, material: randomBytes(32) });

describe.each(databases.eachSupportedId())(
  'RegistryConnectionStore on %p',
  databaseId => {
    let knex: Knex;

    async function createStore(keys: SecretKey[] = [newKey('k1')]) {
      knex = await databases.init(databaseId);
      return storeOn(knex, keys);
    }

    function storeOn(db: Knex, keys: SecretKey[]) {
      return RegistryConnectionStore.create({
        database: mockServices.database({ knex: db }),
        secretBox: new SecretBox(keys),
      });
    }

    async function rawRows(): Promise<Array<Record<string, unknown>>> {
      return knex('registry_connections').select('*');
    }

    it('creates, reads, lists, updates and deletes connections', async () => {
      const store = await createStore();
      const created = await store.create('harbor', settings, {
        'auth.password': PASSWORD,
      });
      expect(created).toMatchObject({
        id: 'harbor',
        settings,
        secretFields: ['auth.password'],
      });
      expect(created.createdAt).toBe(created.updatedAt);
      await store.create('ghcr', { type: 'ghcr' });

      expect(await store.get('harbor')).toEqual(created);
      expect((await store.list()).map(c => c.id)).toEqual(['ghcr', 'harbor']);

      const updated = await store.update('harbor', {
        ...settings,
        name: 'Harbor (prod)',
      });
      expect(updated.settings.name).toBe('Harbor (prod)');
      expect(updated.createdAt).toBe(created.createdAt);
      expect(updated.revision).toBeGreaterThan(created.revision);

      await store.delete('harbor');
      await expect(store.get('harbor')).rejects.toThrow(NotFoundError);
      expect((await store.list()).map(c => c.id)).toEqual(['ghcr']);
    });

    it('refuses a taken id with a ConflictError', async () => {
      const store = await createStore();
      await store.create('harbor', settings);
      await expect(store.create('harbor', {})).rejects.toThrow(ConflictError);
      expect((await store.get('harbor')).settings).toEqual(settings);
    });

    it('lets one of two simultaneous creations of an id win, as on two replicas', async () => {
      const store = await createStore();
      const other = await storeOn(knex, [newKey('k1')]);
      const outcomes = await Promise.allSettled([
        store.create('harbor', { name: 'one' }),
        other.create('harbor', { name: 'two' }),
      ]);
      expect(outcomes.map(o => o.status).sort()).toEqual([
        'fulfilled',
        'rejected',
      ]);
      const rejected = outcomes.find(
        (o): o is PromiseRejectedResult => o.status === 'rejected',
      );
      expect(rejected?.reason).toBeInstanceOf(ConflictError);
    });

    it('answers NotFoundError for a connection that does not exist', async () => {
      const store = await createStore();
      await expect(store.get('missing')).rejects.toThrow(NotFoundError);
      await expect(store.update('missing', {})).rejects.toThrow(NotFoundError);
      await expect(store.delete('missing')).rejects.toThrow(NotFoundError);
      await expect(store.decryptedSecrets('missing')).rejects.toThrow(
        NotFoundError,
      );
    });

    it('keeps a credential an update leaves out, and removes one set to null', async () => {
      const store = await createStore();
      await store.create('harbor', settings, {
        'auth.password': PASSWORD,
        'api.token': TOKEN,
      });

      await store.update('harbor', settings, { 'api.token': null });
      expect(await store.decryptedSecrets('harbor')).toEqual({
        'auth.password': PASSWORD,
      });

      await store.update('harbor', settings, { 'auth.password': 'rotated' });
      const updated = await store.update('harbor', { ...settings, name: 'x' });
      expect(updated.secretFields).toEqual(['auth.password']);
      expect(await store.decryptedSecrets('harbor')).toEqual({
        'auth.password': 'rotated',
      });
    });

    it('stores no credential in plain text in any column', async () => {
      const store = await createStore();
      await store.create('harbor', settings, {
        'auth.password': PASSWORD,
        'api.token': TOKEN,
      });
      await store.update('harbor', settings, { 'api.token': `${TOKEN}-2` });
      const rows = await rawRows();
      expect(rows).toHaveLength(1);
      for (const value of Object.values(rows[0])) {
        for (const secret of [PASSWORD, TOKEN]) {
          expect(String(value)).not.toContain(secret);
          expect(String(value)).not.toContain(
            Buffer.from(secret).toString('base64'),
          );
        }
      }
      expect(JSON.parse(String(rows[0].secrets))).toEqual({
        'api.token': expect.stringMatching(/^v1:k1:/),
        'auth.password': expect.stringMatching(/^v1:k1:/),
      });
    });

    it('gives credentials out only through decryptedSecrets', async () => {
      const store = await createStore();
      await store.create('harbor', settings, { 'auth.password': PASSWORD });
      const everything = JSON.stringify([
        await store.get('harbor'),
        await store.list(),
      ]);
      expect(everything).not.toContain(PASSWORD);
      expect(everything).not.toContain('v1:k1:');
    });

    it('refuses a credential without a configured key, and says how to set one', async () => {
      const store = await createStore([]);
      await expect(
        store.create('harbor', settings, { 'auth.password': PASSWORD }),
      ).rejects.toThrow(/containerRegistry\.encryption\.keys/);
      expect(await rawRows()).toHaveLength(0);
      // Connections without credentials need no key.
      await store.create('public', { type: 'generic' });
      await expect(
        store.update('public', {}, { 'auth.password': PASSWORD }),
      ).rejects.toThrow(InputError);
    });

    it('refuses a credential that is also written into the settings', async () => {
      const store = await createStore();
      const leaky = { ...settings, auth: { ...settings.auth, password: 'x' } };
      await expect(
        store.create('harbor', leaky, { 'auth.password': PASSWORD }),
      ).rejects.toThrow(/auth\.password is a credential/);
      await store.create('harbor', settings, { 'auth.password': PASSWORD });
      await expect(store.update('harbor', leaky)).rejects.toThrow(
        /auth\.password is a credential/,
      );
    });

    it('rejects bad ids, settings and credential values without echoing the value', async () => {
      const store = await createStore();
      await expect(store.create('Not_An_Id', {})).rejects.toThrow(InputError);
      await expect(store.create('x'.repeat(64), {})).rejects.toThrow(
        InputError,
      );
      await expect(store.create('ok', [] as any)).rejects.toThrow(InputError);
      const error = await store
        .create('ok', {}, { 'auth.password': 42 as any })
        .catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toContain('auth.password');
      expect(error.message).not.toContain('42');
    });

    it('re-encrypts credentials of an older key with the newest one', async () => {
      const oldKey = newKey('old');
      const currentKey = newKey('new');
      const store = await createStore([oldKey]);
      await store.create('harbor', settings, { 'auth.password': PASSWORD });
      await store.create('ghcr', { type: 'ghcr' }, { token: TOKEN });
      await store.create('public', { type: 'generic' });
      const before = await store.get('harbor');

      const rotated = await storeOn(knex, [currentKey, oldKey]);
      expect(await rotated.decryptedSecrets('harbor')).toEqual({
        'auth.password': PASSWORD,
      });
      expect(await rotated.reencryptAll()).toEqual({
        reencrypted: ['ghcr', 'harbor'],
        failed: [],
      });

      for (const row of await rawRows()) {
        for (const value of Object.values(JSON.parse(String(row.secrets)))) {
          expect(value).toMatch(/^v1:new:/);
        }
      }
      // The credentials did not change, so replicas have nothing to reload.
      expect(await rotated.get('harbor')).toEqual(before);
      expect((await rotated.reencryptAll()).reencrypted).toEqual([]);

      // The old key can now leave the config.
      const withoutOldKey = await storeOn(knex, [currentKey]);
      expect(await withoutOldKey.decryptedSecrets('ghcr')).toEqual({
        token: TOKEN,
      });
    });

    // SQLite has one writer at a time, so only PostgreSQL can interleave two.
    (databaseId.startsWith('POSTGRES') ? describe : describe.skip)(
      'with concurrent writers',
      () => {
        it('does not overwrite a credential changed while it re-encrypts', async () => {
          const oldKey = newKey('old');
          const currentKey = newKey('new');
          const store = await createStore([oldKey]);
          await store.create('harbor', settings, { 'auth.password': PASSWORD });
          const rotated = await storeOn(knex, [currentKey, oldKey]);

          // Another replica, still on the old key, changes the password while the rotation runs:
          // its lock on the row holds the rotation's write until the change is committed.
          const otherReplica = await knex.transaction();
          await otherReplica('registry_connections')
            .where({ id: 'harbor' })
            .forUpdate()
            .first();
          const reencryption = rotated.reencryptAll();
          await waitForBlockedUpdate();
          await otherReplica('registry_connections')
            .where({ id: 'harbor' })
            .update({
              secrets: JSON.stringify({
                'auth.password': new SecretBox([oldKey]).encrypt(
                  'changed-meanwhile',
                  secretContext('harbor', 'auth.password'),
                ),
              }),
              revision: 1000,
            });
          await otherReplica.commit();

          expect((await reencryption).reencrypted).toEqual(['harbor']);
          expect(await rotated.decryptedSecrets('harbor')).toEqual({
            'auth.password': 'changed-meanwhile',
          });
          const [row] = await rawRows();
          expect(String(row.secrets)).toMatch(/"v1:new:/);
        });

        /** Waits until an update of registry_connections waits for a row lock. */
        async function waitForBlockedUpdate() {
          for (let attempt = 0; attempt < 500; attempt++) {
            const { rows } = await knex.raw(
              `select count(*)::int as waiting from pg_stat_activity
           where datname = current_database() and wait_event_type = 'Lock'
             and query like 'update "registry_connections"%'`,
            );
            if (rows[0].waiting > 0) return;
            await new Promise(resolve => setTimeout(resolve, 20));
          }
          throw new Error('The re-encryption never reached its update');
        }
      },
    );

    it('reports credentials under a key no longer configured, and goes on', async () => {
      const store = await createStore([newKey('gone')]);
      await store.create('harbor', settings, { 'auth.password': PASSWORD });
      const rotated = await storeOn(knex, [newKey('new')]);
      const result = await rotated.reencryptAll();
      expect(result.reencrypted).toEqual([]);
      expect(result.failed).toEqual([
        {
          id: 'harbor',
          field: 'auth.password',
          message: expect.stringContaining('"gone"'),
        },
      ]);
      await expect(rotated.decryptedSecrets('harbor')).rejects.toThrow(
        /"gone"/,
      );
    });

    it('changes the revisions on every change, and never repeats one for a re-created id', async () => {
      const store = await createStore();
      await store.create('harbor', settings, { 'auth.password': PASSWORD });
      await store.create('ghcr', { type: 'ghcr' });
      const first = await store.revisions();
      expect([...first.keys()].sort()).toEqual(['ghcr', 'harbor']);

      await store.update('harbor', settings, { 'auth.password': 'new' });
      const afterUpdate = await store.revisions();
      expect(afterUpdate.get('harbor')).not.toBe(first.get('harbor'));
      expect(afterUpdate.get('ghcr')).toBe(first.get('ghcr'));

      await store.delete('harbor');
      expect([...(await store.revisions()).keys()]).toEqual(['ghcr']);

      await store.create('harbor', settings);
      const recreated = (await store.revisions()).get('harbor');
      expect(recreated).not.toBe(first.get('harbor'));
      expect(recreated).not.toBe(afterUpdate.get('harbor'));
    });
  },
);
