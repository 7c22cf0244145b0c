import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeRegistry } from '../__testUtils__/FakeRegistry';
import { harborHandler } from '../__testUtils__/harborFixtures';
import { startScriptedServer } from '../__testUtils__/scriptedServer';
import { main } from './registryInventory';

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
    stdout += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(chunk => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('registry-inventory', () => {
  let registry: FakeRegistry;
  beforeEach(async () => {
    registry = await FakeRegistry.start();
  });
  afterEach(() => registry.close());

  it('prints one JSON line per image and a report with requests by kind', async () => {
    const digest = registry.addImage('acme/api', ['1.0', 'latest'], {
      labels: { a: 'b' },
    });
    registry.addIndex(
      'acme/web',
      ['2'],
      [{ os: 'linux', architecture: 'arm64' }],
    );
    const { code, stdout, stderr } = await run([
      '--url',
      registry.url,
      '--id',
      'local',
      '--max-connections',
      '2',
    ]);
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map(line => JSON.parse(line));
    expect(lines).toHaveLength(2);
    expect(lines).toContainEqual({
      registry: 'local',
      host: new URL(registry.url).host,
      repository: 'acme/api',
      digest,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      tags: ['1.0', 'latest'],
      platforms: [{ os: 'linux', architecture: 'amd64' }],
      created: '2026-01-01T00:00:00Z',
      labels: { a: 'b' },
      detailsSource: 'image-config',
    });
    const report = JSON.parse(stderr.trim().split('\n').pop()!).report;
    expect(report).toMatchObject({
      repositories: 2,
      tags: 3,
      images: 2,
      // a manifest per tag, and the index's platform manifest for its date and labels
      requests: { byKind: { manifest: 3 + 1 } },
    });
  });

  it('takes the connection from a config file, flags winning', async () => {
    registry.addImage('team/a', ['1']);
    registry.addImage('team/b', ['1']);
    const file = join(mkdtempSync(join(tmpdir(), 'ri-')), 'registry.yaml');
    writeFileSync(
      file,
      `url: http://127.0.0.1:1\nrepositories: ['team/a']\ntransport:\n  pageSize: 5\n`,
    );
    const { code, stdout } = await run([
      '--config',
      file,
      '--url',
      registry.url,
    ]);
    expect(code).toBe(0);
    expect(
      stdout
        .trim()
        .split('\n')
        .map(line => JSON.parse(line).repository),
    ).toEqual(['team/a']);
  });

  it('takes the hardening settings from a config file and rejects bad ones by field', async () => {
    registry.addImage('team/a', ['1']);
    const dir = mkdtempSync(join(tmpdir(), 'ri-'));
    const good = join(dir, 'good.yaml');
    writeFileSync(
      good,
      [
        `url: ${registry.url}`,
        'auth: { realmHosts: [auth.example.com, "http://127.0.0.1:1"] }',
        'transport:',
        '  requestTimeout: 30s',
        '  maxRetries: 2',
        "  allowedHosts: ['*.s3.example.com']",
        '',
      ].join('\n'),
    );
    expect((await run(['--config', good])).code).toBe(0);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      `url: ${registry.url}\ntransport:\n  maxConnections: 2.5\n`,
    );
    const { code, stderr } = await run(['--config', bad]);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /registry\.transport\.maxConnections must be a whole number from 1 to 256, got 2\.5/,
    );
  });

  it('measures a recrawl: the second pass makes no manifest GET', async () => {
    registry.addImage('acme/api', ['1', '2']);
    const { stderr } = await run(['--url', registry.url, '--passes', '2']);
    const reports = stderr
      .trim()
      .split('\n')
      .filter(l => l.startsWith('{'))
      .map(l => JSON.parse(l).report);
    expect(reports[0].requests.byKind.manifest).toBe(2);
    expect(reports[1].requests.byKind).toEqual({
      catalog: 1,
      tags: 1,
      'manifest-head': 2,
    });
  });

  it('exits non-zero with advice when the registry cannot be crawled at all', async () => {
    const { code, stderr } = await run([
      '--url',
      'http://127.0.0.1:9',
      '--max-connections',
      '1',
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/could not be reached/);
  });

  it('prints help and exits 0', async () => {
    const help = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation(() => true);
    try {
      expect(await main(['--help'])).toBe(0);
      expect(help.mock.calls.join('')).toMatch(/--max-rps/);
    } finally {
      help.mockRestore();
    }
  });

  it('exits non-zero on a bad flag value, naming it', async () => {
    const { code, stderr } = await run(['--url', 'ftp://x']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/url must use http or https/);
  });

  it('crawls a product from the per-registry YAML of app-config, options under its type', async () => {
    const harbor = await startScriptedServer(
      harborHandler({
        users: { robot$ci: 's3cret' },
        projects: {
          apps: {
            repositories: {
              api: [
                {
                  digest: `sha256:${'a'.repeat(64)}`,
                  manifest_media_type:
                    'application/vnd.oci.image.manifest.v1+json',
                  push_time: '2026-03-01T00:00:00.000Z',
                  tags: [
                    { name: '1.0', push_time: '2026-03-02T00:00:00.000Z' },
                  ],
                  extra_attrs: { os: 'linux', architecture: 'amd64' },
                },
              ],
            },
          },
          other: { repositories: { skipped: [] } },
        },
      }),
    );
    try {
      const dir = mkdtempSync(join(tmpdir(), 'inventory-'));
      const file = join(dir, 'harbor.yaml');
      writeFileSync(
        file,
        [
          `url: ${harbor.url}`,
          'type: harbor',
          'auth: { type: basic, username: robot$ci, password: s3cret }',
          'harbor:',
          '  projects: [apps]',
        ].join('\n'),
      );
      const { code, stdout } = await run(['--config', file, '--id', 'hb']);
      expect(code).toBe(0);
      expect(JSON.parse(stdout.trim())).toMatchObject({
        registry: 'hb',
        repository: 'apps/api',
        tags: ['1.0'],
        pushed: '2026-03-02T00:00:00.000Z',
        platforms: [{ os: 'linux', architecture: 'amd64' }],
      });
    } finally {
      await harbor.close();
    }
  });

  it('names the known types when --type is not one', async () => {
    const { code, stderr } = await run([
      '--url',
      registry.url,
      '--type',
      'harbour',
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /registry\.type "harbour" has no adapter \(known types: generic, harbor, gitlab, nexus, artifactory/,
    );
  });
});
