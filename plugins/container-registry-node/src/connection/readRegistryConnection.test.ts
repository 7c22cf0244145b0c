import { ConfigReader } from '@backstage/config';
import { readRegistryConnection } from './readRegistryConnection';

const read = (data: object) =>
  readRegistryConnection(new ConfigReader(data), 'reg');

describe('readRegistryConnection', () => {
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
    [{ id: 'x', url: 'https://r', type: 'docker' }, /reg\.type must be one of/],
    [
      { id: 'x', url: 'https://r', auth: { type: 'basic', username: 'u' } },
      /reg\.auth of type basic needs/,
    ],
    [
      { id: 'x', url: 'https://r', transport: { maxConnections: 0 } },
      /reg\.transport\.maxConnections must be a positive number/,
    ],
  ])('rejects %j with the field and the reason', (data, message) => {
    expect(() => read(data)).toThrow(message);
  });
});
