import {
  containerImageEntityName,
  containerImageEntityTitle,
} from './entityName';

const digest = `sha256:${'ab12'.repeat(16)}`;
const NAME_RULE = /^[a-z0-9]+(?:[-_.][a-z0-9]+)*$/;

describe('containerImageEntityName', () => {
  it('joins the repository slug and the first 12 hex of the digest', () => {
    expect(
      containerImageEntityName({
        registry: 'r',
        repository: 'Acme/Payments_API',
        digest,
      }),
    ).toBe('acme-payments-api-ab12ab12ab12');
  });

  it('keeps long names within 63 characters and still tells repositories apart', () => {
    const long = (suffix: string) =>
      containerImageEntityName({
        registry: 'r',
        repository: `team/${'very-long-segment/'.repeat(6)}${suffix}`,
        digest,
      });
    expect(long('a').length).toBeLessThanOrEqual(63);
    expect(long('a')).toMatch(NAME_RULE);
    expect(long('a')).not.toBe(long('b'));
  });

  it('disambiguates the same repository and digest in two registries, stably', () => {
    const a = containerImageEntityName({
      registry: 'one',
      repository: 'app',
      digest,
      disambiguate: true,
    });
    const b = containerImageEntityName({
      registry: 'two',
      repository: 'app',
      digest,
      disambiguate: true,
    });
    expect(a).not.toBe(b);
    expect(a).toMatch(/^app-ab12ab12ab12-[0-9a-f]{6}$/);
    expect(
      containerImageEntityName({
        registry: 'one',
        repository: 'app',
        digest,
        disambiguate: true,
      }),
    ).toBe(a);
  });

  it('tells apart two digests that share their first 12 hex', () => {
    const other = `${digest.slice(0, -4)}ffff`;
    const names = [digest, other].map(d =>
      containerImageEntityName({
        registry: 'one',
        repository: 'app',
        digest: d,
        disambiguate: true,
      }),
    );
    expect(names[0]).not.toBe(names[1]);
  });

  it('titles an image as repository@sha256:<12 hex>', () => {
    expect(containerImageEntityTitle('acme/app', digest)).toBe(
      'acme/app@sha256:ab12ab12ab12',
    );
  });
});
