import { validateContainerImageEntity } from './containerImageSchema';

const valid = {
  apiVersion: 'container-inventory.dev/v1alpha1',
  kind: 'ContainerImage',
  metadata: { name: 'acme-app-0123456789ab' },
  spec: {
    registry: 'demo',
    host: 'registry.example.com',
    repository: 'acme/app',
    digest: `sha256:${'0'.repeat(64)}`,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    tags: ['1.0.0', 'latest'],
    platforms: [{ os: 'linux', architecture: 'arm64', variant: 'v8' }],
    lifecycle: 'latest',
    labels: {
      'org.opencontainers.image.source': 'https://github.com/acme/app',
    },
  },
};

describe('validateContainerImageEntity', () => {
  it('accepts a well-formed ContainerImage', () => {
    expect(validateContainerImageEntity(valid)).toEqual(valid);
  });

  it('ignores other kinds', () => {
    expect(validateContainerImageEntity({ ...valid, kind: 'Component' })).toBe(
      false,
    );
  });

  it('rejects a digest that is not sha256 and names the field', () => {
    expect(() =>
      validateContainerImageEntity({
        ...valid,
        spec: { ...valid.spec, digest: 'md5:abc' },
      }),
    ).toThrow(/digest/);
  });

  it('rejects a platform without architecture', () => {
    expect(() =>
      validateContainerImageEntity({
        ...valid,
        spec: { ...valid.spec, platforms: [{ os: 'linux' }] },
      }),
    ).toThrow(/architecture/);
  });
});
