import { testConnection } from '../__testUtils__/connection';
import { crawlAll } from '../__testUtils__/crawlAll';
import { MediaType } from '../manifests';
import { startTestRegistry, TestRegistry } from '../testUtils';
import {
  BuildahCorpus,
  InspectedImage,
  inspectWithSkopeo,
  missingCorpusTools,
} from '../testUtils/buildahCorpus';

jest.setTimeout(300_000);

const amd64 = { os: 'linux', architecture: 'amd64' };
const arm64 = { os: 'linux', architecture: 'arm64', variant: 'v8' };
const labels = {
  'org.opencontainers.image.source': 'https://github.com/acme/corpus',
  'org.opencontainers.image.revision': '0b1c2d3',
  maintainer: 'platform@acme.example',
};

/**
 * Images as buildah and skopeo make them: OCI and Docker single-platform images, OCI and Docker
 * two-platform lists, labelled and not, and format conversions by skopeo.
 */
async function buildCorpus(corpus: BuildahCorpus) {
  await corpus.build('app-amd64', {
    platform: amd64,
    labels,
    format: 'oci',
  });
  await corpus.build('app-arm64', {
    platform: arm64,
    labels,
    format: 'oci',
  });
  await corpus.build('plain', { platform: amd64, format: 'docker' });
  await corpus.build('plain-arm64', { platform: arm64, format: 'oci' });

  await corpus.push('app-amd64', 'corpus/oci-labelled', '1');
  await corpus.push('plain', 'corpus/docker-plain', '1');
  await corpus.push('plain-arm64', 'corpus/oci-plain-arm64', '1');
  await corpus.pushList(
    ['app-amd64', 'app-arm64'],
    'corpus/multi',
    'oci',
    'oci',
  );
  await corpus.pushList(
    ['app-arm64', 'app-amd64'],
    'corpus/multi',
    'docker',
    'v2s2',
  );
  await corpus.pushList(
    ['plain-arm64', 'plain'],
    'corpus/multi-plain',
    '1',
    'oci',
  );
  const [labelled, plain] = corpus.images;
  await corpus.copy(labelled, 'corpus/converted', 'v2s2', 'v2s2');
  await corpus.copy(plain, 'corpus/converted', 'oci', 'oci');
}

describe('crawling images built and pushed by buildah and skopeo', () => {
  let registry: TestRegistry | undefined;
  let corpus: BuildahCorpus | undefined;
  let inspected: InspectedImage[];

  beforeAll(async () => {
    const missing = await missingCorpusTools();
    if (missing.length > 0) {
      throw new Error(
        `${missing.join(
          ' and ',
        )} not found: these tests build images with them; run ./run setup to install them`,
      );
    }
    registry = await startTestRegistry();
    corpus = new BuildahCorpus(registry.host);
    await buildCorpus(corpus);
    inspected = [];
    for (const image of corpus.images)
      inspected.push(await inspectWithSkopeo(registry.host, image));
  });
  afterAll(async () => {
    corpus?.dispose();
    await registry?.stop();
  });

  it('holds every manifest kind, labelled and not', () => {
    const kinds = new Set(inspected.map(i => i.mediaType));
    expect([...kinds].sort()).toEqual(
      [
        MediaType.dockerManifest,
        MediaType.dockerManifestList,
        MediaType.ociIndex,
        MediaType.ociManifest,
      ].sort(),
    );
    expect(inspected.some(i => Object.keys(i.labels).length === 0)).toBe(true);
    expect(inspected.some(i => i.labels.maintainer)).toBe(true);
  });

  it('finds for every image the digest, media type and platforms skopeo reports, and the date and labels of its config', async () => {
    const { results, report } = await crawlAll(
      testConnection(registry!.url, { auth: { type: 'none' } }),
    );
    expect(report.errorCount).toBe(0);
    expect(results.every(r => r.complete)).toBe(true);
    const images = results.flatMap(r => r.images);
    for (const expected of inspected) {
      const found = images.find(
        i =>
          i.repository === expected.repository && i.tags.includes(expected.tag),
      );
      expect({ tag: expected.tag, ...found }).toEqual(
        expect.objectContaining({
          repository: expected.repository,
          tag: expected.tag,
          digest: expected.digest,
          mediaType: expected.mediaType,
          platforms: expect.arrayContaining(
            expected.platforms.map(p => expect.objectContaining(p)),
          ),
          labels: expected.labels,
          detailsSource: expected.platforms[0].digest
            ? 'platform-image'
            : 'image-config',
        }),
      );
      expect(found!.platforms).toHaveLength(expected.platforms.length);
      expect(found!.created).toBeDefined();
      expect(found!.created).toBe(expected.created);
    }
  });
});
