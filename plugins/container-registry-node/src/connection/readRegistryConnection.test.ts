import { ConfigReader } from '@backstage/config';
import { genericAdapterFactory } from '../adapters/generic';
import type { RegistryAdapterFactory } from '../adapters/types';
import { readRegistryConnection } from './readRegistryConnection';

const read = (data: object) =>
  readRegistryConnection(new ConfigReader(data), 'reg');

describe('readRegistryConnection', () => {
  it('accepts a type an added adapter registers, with the options it declares under its key', () => {
    const custom: RegistryAdapterFactory = {
      ...genericAdapterFactory,
      type: 'inhouse',
      title: 'In-house registry',
      options: [{ key: 'teams', label: 'Teams', kind: 'list', required: true }],
    };
    const connection = readRegistryConnection(
      new ConfigReader({
        id: 'x',
        url: 'https://r',
        type: 'inhouse',
        inhouse: { teams: [' a ', 'b'] },
      }),
      'reg',
      { adapterFactories: [custom] },
    );
    expect(connection).toMatchObject({
      type: 'inhouse',
      options: { teams: ['a', 'b'] },
    });
    expect(() =>
      readRegistryConnection(
        new ConfigReader({ id: 'x', url: 'https://r', type: 'inhouse' }),
        'reg',
        { adapterFactories: [custom] },
      ),
    ).toThrow(/reg\.options\.teams is required for In-house registry/);
    expect(() =>
      readRegistryConnection(
        new ConfigReader({
          id: 'x',
          url: 'https://r',
          type: 'inhouse',
          inhouse: { teams: ['a'], team: 'b' },
        }),
        'reg',
        { adapterFactories: [custom] },
      ),
    ).toThrow(
      /reg\.inhouse\.team is not an option of In-house registry \(options: teams\)/,
    );
    // Without the added adapter, the type is unknown.
    expect(() => read({ id: 'x', url: 'https://r', type: 'inhouse' })).toThrow(
      /reg\.type "inhouse" has no adapter/,
    );
  });

  it('takes the options as the page sends them, under "options"', () => {
    const connection = read({
      id: 'x',
      url: 'https://harbor.example.com',
      type: 'harbor',
      options: { projects: ['team-a'] },
    });
    expect(connection.options).toEqual({ projects: ['team-a'] });
  });

  it('fills defaults and normalises the URL', () => {
    const connection = read({ id: 'local', url: 'http://127.0.0.1:5000/' });
    expect(connection).toMatchObject({
      id: 'local',
      name: 'local',
      type: 'generic',
      url: 'http://127.0.0.1:5000',
      auth: { type: 'auto' },
      repositories: [],
    });
    expect(connection.transport.maxConnections).toBe(8);
  });

  it('reads durations in any Backstage form and numbers as milliseconds', () => {
    const { transport } = read({
      id: 'x',
      url: 'https://r.example.com',
      transport: {
        connectTimeout: '5s',
        readTimeout: { minutes: 1 },
        poolTimeout: 250,
        maxRequestsPerSecond: 20,
      },
    });
    expect(transport).toMatchObject({
      connectTimeoutMs: 5000,
      readTimeoutMs: 60_000,
      poolTimeoutMs: 250,
      maxRequestsPerSecond: 20,
    });
  });

  it.each([
    [{ id: 'Bad Id', url: 'https://r' }, /reg\.id must be lowercase/],
    [{ id: 'x', url: 'ftp://r' }, /reg\.url must use http or https/],
    [{ id: 'x', url: 'not a url' }, /reg\.url must be an http\(s\) URL/],
    [{ id: 'x', url: 'https://u:p@r' }, /reg\.url must not carry credentials/],
    [
      { id: 'x', url: 'https://r', type: 'docker' },
      /reg\.type "docker" has no adapter \(known types: generic, harbor/,
    ],
    [
      { id: 'x', url: 'https://r', auth: { type: 'basic', username: 'u' } },
      /reg\.auth of type basic needs/,
    ],
    [
      { id: 'x', url: 'https://r', transport: { maxConnections: 0 } },
      /reg\.transport\.maxConnections must be a whole number from 1 to 256, got 0/,
    ],
    [
      { id: 'x', url: 'https://r', transport: { maxConnections: 2.5 } },
      /^Invalid registry connection: reg\.transport\.maxConnections must be a whole number from 1 to 256, got 2\.5$/,
    ],
    [
      { id: 'x', url: 'https://r', transport: { maxConnections: 1000 } },
      /reg\.transport\.maxConnections must be a whole number from 1 to 256/,
    ],
    [
      {
        id: 'x',
        url: 'https://r',
        transport: { maxKeepAliveConnections: 0.5 },
      },
      /reg\.transport\.maxKeepAliveConnections must be a whole number/,
    ],
    [
      { id: 'x', url: 'https://r', transport: { maxRetries: -1 } },
      /reg\.transport\.maxRetries must be a whole number from 0 to 10, got -1/,
    ],
    [
      { id: 'x', url: 'https://r', transport: { maxRetries: 1.5 } },
      /reg\.transport\.maxRetries must be a whole number from 0 to 10/,
    ],
    [
      { id: 'x', url: 'https://r', transport: { maxRetries: 1000 } },
      /reg\.transport\.maxRetries must be a whole number from 0 to 10/,
    ],
    [
      { id: 'x', url: 'https://r', transport: { pageSize: 1e6 } },
      /reg\.transport\.pageSize must be a whole number from 1 to 10000/,
    ],
    [
      { id: 'x', url: 'https://r', transport: { pageSize: 10.5 } },
      /reg\.transport\.pageSize must be a whole number from 1 to 10000/,
    ],
    [
      { id: 'x', url: 'https://r', transport: { readTimeout: 0 } },
      /reg\.transport\.readTimeout must be a duration from 1 ms to 1 hour \(0 would turn the timeout off\), got 0/,
    ],
    [
      { id: 'x', url: 'https://r', transport: { connectTimeout: -5 } },
      /reg\.transport\.connectTimeout must be a duration from 1 ms/,
    ],
    [
      { id: 'x', url: 'https://r', transport: { requestTimeout: '0s' } },
      /reg\.transport\.requestTimeout must be a duration from 1 ms/,
    ],
    [
      { id: 'x', url: 'https://r', transport: { poolTimeout: { hours: 5 } } },
      /reg\.transport\.poolTimeout must be a duration from 1 ms to 1 hour/,
    ],
    [
      { id: 'x', url: 'https://r', transport: { maxRequestsPerSecond: 0 } },
      /reg\.transport\.maxRequestsPerSecond must be a number above 0/,
    ],
    [
      {
        id: 'x',
        url: 'https://r',
        transport: { allowedHosts: ['https://cdn'] },
      },
      /reg\.transport\.allowedHosts must hold host names/,
    ],
    [
      { id: 'x', url: 'https://r', auth: { realmHosts: ['ftp://auth'] } },
      /reg\.auth\.realmHosts must hold http\(s\) origins/,
    ],
    [
      {
        id: 'x',
        url: 'https://r',
        auth: { realmHosts: ['https://auth/token'] },
      },
      /reg\.auth\.realmHosts must hold origins only/,
    ],
  ])('rejects %j with the field and the reason', (data, message) => {
    expect(() => read(data)).toThrow(message);
  });

  it('reads the request deadline and the hosts redirects may lead to', () => {
    const { transport } = read({
      id: 'x',
      url: 'https://r.example.com',
      transport: {
        requestTimeout: '30s',
        allowedHosts: ['*.S3.amazonaws.com', 'cdn.example.com', '10.0.0.7'],
      },
    });
    expect(transport.requestTimeoutMs).toBe(30_000);
    expect(transport.allowedHosts).toEqual([
      '*.s3.amazonaws.com',
      'cdn.example.com',
      '10.0.0.7',
    ]);
    expect(read({ id: 'x', url: 'https://r' }).transport).toMatchObject({
      requestTimeoutMs: 120_000,
      allowedHosts: [],
    });
  });

  it('reads realm hosts as origins, a bare host meaning https', () => {
    const { auth } = read({
      id: 'x',
      url: 'https://r.example.com',
      auth: {
        realmHosts: [
          'auth.example.com',
          'http://auth.lan:8080',
          'https://a:8443/',
        ],
      },
    });
    expect(auth.realmHosts).toEqual([
      'https://auth.example.com',
      'http://auth.lan:8080',
      'https://a:8443',
    ]);
  });

  it('never echoes the password of a URL it cannot read', () => {
    let message = '';
    try {
      read({ id: 'x', url: 'https://admin:s3cret@reg example.com' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/reg\.url must be an http\(s\) URL/);
    expect(message).not.toContain('s3cret');
    expect(message).toContain('https://***@reg example.com');
  });
});
