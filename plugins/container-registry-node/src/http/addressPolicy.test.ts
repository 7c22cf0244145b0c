import { AddressPolicy, classifyAddress, hostMatches } from './addressPolicy';

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.2', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['10.1.2.3', 'private'],
    ['172.20.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['::ffff:192.168.1.1', 'private'],
    ['fd00:ec2::254', 'private'],
    ['8.8.8.8', 'public'],
    ['2606:4700::1111', 'public'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });
});

describe('hostMatches', () => {
  it('matches exact names and subdomains of a wildcard, not the bare domain', () => {
    const patterns = ['cdn.example.com', '*.s3.amazonaws.com'];
    expect(hostMatches('CDN.example.com', patterns)).toBe(true);
    expect(hostMatches('bucket.s3.amazonaws.com', patterns)).toBe(true);
    expect(hostMatches('s3.amazonaws.com', patterns)).toBe(false);
    expect(hostMatches('evil-s3.amazonaws.com', patterns)).toBe(false);
    expect(hostMatches('other.example.com', patterns)).toBe(false);
  });
});

describe('AddressPolicy', () => {
  const refused = (policy: AddressPolicy, host: string, address: string) => {
    try {
      policy.check(host, address);
      return false;
    } catch {
      return true;
    }
  };

  it('follows public addresses and refuses the rest for a public registry', () => {
    const policy = new AddressPolicy([]);
    policy.noteRegistryAddress('203.0.113.10');
    expect(refused(policy, 'cdn.example.com', '93.184.216.34')).toBe(false);
    expect(refused(policy, 'evil.example.com', '127.0.0.1')).toBe(true);
    expect(refused(policy, 'evil.example.com', '10.0.0.5')).toBe(true);
    expect(refused(policy, 'evil.example.com', '169.254.1.1')).toBe(true);
  });

  it('allows the kind of network the registry itself is on, but never metadata', () => {
    const policy = new AddressPolicy([]);
    policy.noteRegistryAddress('10.0.0.2');
    expect(refused(policy, 'minio.lan', '10.0.0.9')).toBe(false);
    expect(refused(policy, 'minio.lan', '127.0.0.1')).toBe(true);
    expect(refused(policy, 'x', '169.254.169.254')).toBe(true);
    expect(refused(policy, 'metadata.google.internal', '10.0.0.9')).toBe(true);
    expect(refused(policy, 'x', 'fd00:ec2::254')).toBe(true);
  });

  it('allows anything for a host the admin listed', () => {
    const policy = new AddressPolicy(['*.internal.example.com']);
    expect(refused(policy, 'blobs.internal.example.com', '10.0.0.9')).toBe(
      false,
    );
    expect(refused(policy, 'blobs.internal.example.com', '169.254.0.9')).toBe(
      false,
    );
  });

  it('checks every address a name resolves to, when connecting', async () => {
    const policy = new AddressPolicy([]);
    policy.noteRegistryAddress('203.0.113.10');
    const lookup = policy.checkedLookup(((
      _host: string,
      _options: unknown,
      callback: Function,
    ) =>
      callback(null, [
        { address: '93.184.216.34', family: 4 },
        { address: '10.0.0.1', family: 4 },
      ])) as any);
    const error = await new Promise(resolve =>
      lookup('rebind.example.com', {}, resolve),
    );
    expect(error).toMatchObject({
      reason: 'cross-host',
      message: expect.stringMatching(/transport\.allowedHosts/),
    });
  });
});
