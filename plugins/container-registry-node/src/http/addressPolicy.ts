import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { RegistryError } from '../errors';

/** Where an address lies, for deciding whether a registry may send the crawler there. */
export type AddressClass = 'public' | 'loopback' | 'private' | 'link-local';

const METADATA_ADDRESSES = new Set(['169.254.169.254', 'fd00:ec2::254']);
const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata']);

function blockList(ranges: Array<[string, number, 'ipv4' | 'ipv6']>) {
  const list = new BlockList();
  for (const [network, prefix, family] of ranges) {
    list.addSubnet(network, prefix, family);
  }
  return list;
}

const LOOPBACK = blockList([
  ['127.0.0.0', 8, 'ipv4'],
  ['::1', 128, 'ipv6'],
]);
const LINK_LOCAL = blockList([
  ['169.254.0.0', 16, 'ipv4'],
  ['fe80::', 10, 'ipv6'],
]);
const PRIVATE = blockList([
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['fc00::', 7, 'ipv6'],
  ['::', 128, 'ipv6'],
]);

/** The class of an IP address; IPv4-mapped IPv6 addresses count as their IPv4 address. */
export function classifyAddress(address: string): AddressClass {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const ip = mapped ? mapped[1] : address;
  const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
  if (LOOPBACK.check(ip, family)) return 'loopback';
  if (LINK_LOCAL.check(ip, family)) return 'link-local';
  if (PRIVATE.check(ip, family)) return 'private';
  return 'public';
}

const isMetadata = (address: string) =>
  METADATA_ADDRESSES.has(address.toLowerCase());

/** `cdn.example.com` matches itself; `*.example.com` any name below example.com. */
export function hostMatches(host: string, patterns: string[]): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '');
  return patterns.some(pattern =>
    pattern.startsWith('*.')
      ? name.endsWith(pattern.slice(1)) && name.length > pattern.length - 1
      : name === pattern,
  );
}

/**
 * Decides which hosts other than the registry's own origin the crawler may connect to.
 * Listed hosts always; else public addresses; loopback and private ones only when the
 * registry itself lives on such an address; link-local and cloud metadata never.
 */
export class AddressPolicy {
  /** Classes of the addresses the registry itself was reached on. */
  private readonly registryClasses = new Set<AddressClass>();

  constructor(private readonly allowedHosts: string[]) {}

  /** Records where the registry lives, so hosts on the same kind of network are allowed. */
  noteRegistryAddress(address: string) {
    this.registryClasses.add(classifyAddress(address));
  }

  isListed(host: string): boolean {
    return hostMatches(host, this.allowedHosts);
  }

  /** Throws when `address` (resolved from `host`) is not a place the crawler may go. */
  check(host: string, address: string) {
    if (this.isListed(host)) return;
    const kind = classifyAddress(address);
    const refuse = (why: string) => {
      throw new RegistryError(
        'cross-host',
        `Refused to connect to ${host} (${address}): ${why}; list the host in transport.allowedHosts if the registry really stores data there`,
      );
    };
    if (METADATA_HOSTS.has(host.toLowerCase()) || isMetadata(address)) {
      refuse('it is a cloud metadata address');
    }
    if (kind === 'link-local') refuse('it is a link-local address');
    if (
      (kind === 'loopback' || kind === 'private') &&
      !this.registryClasses.has(kind)
    ) {
      refuse(`it is a ${kind} address and the registry is not`);
    }
  }

  /**
   * A `lookup` for `net.connect` that checks every address a name resolves to, at connect
   * time: a name cannot pass the check and then resolve elsewhere (DNS rebinding).
   */
  checkedLookup(
    resolve: typeof dnsLookup = dnsLookup,
  ): (
    hostname: string,
    options: { all?: boolean; family?: number },
    callback: (
      error: Error | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void,
  ) => void {
    return (hostname, options, callback) => {
      resolve(hostname, { ...options, all: true }, (error, addresses) => {
        if (error) {
          callback(error, []);
          return;
        }
        try {
          for (const { address } of addresses) this.check(hostname, address);
        } catch (refusal) {
          callback(refusal as Error, []);
          return;
        }
        if (options?.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      });
    };
  }
}
