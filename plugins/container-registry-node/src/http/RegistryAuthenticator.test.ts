import {
  MAX_CACHED_TOKENS,
  RegistryAuthenticator,
} from './RegistryAuthenticator';

describe('RegistryAuthenticator token cache', () => {
  const registry = new URL('https://reg.example.com/');
  const challenge = {
    scheme: 'bearer' as const,
    realm: 'https://reg.example.com/token',
  };

  const authenticator = (now: () => number) => {
    const fetched: string[] = [];
    const auth = new RegistryAuthenticator(
      { type: 'auto', username: 'u', password: 'p' },
      registry,
      [],
      async url => {
        fetched.push(url.searchParams.get('scope') ?? '');
        return {
          status: 200,
          body: Buffer.from(JSON.stringify({ token: 't', expires_in: 60 })),
        };
      },
      now,
    );
    return { auth, fetched };
  };

  it('keeps a bounded number of tokens however many repositories a crawl visits', async () => {
    const { auth } = authenticator(() => 0);
    await auth.acceptChallenge(challenge, 'repository:r0:pull', undefined);
    for (let i = 1; i < MAX_CACHED_TOKENS + 500; i++) {
      await auth.authorizationFor(`repository:r${i}:pull`);
    }
    expect(auth.cachedTokens).toBe(MAX_CACHED_TOKENS);
  });

  it('drops an expired token and fetches a new one', async () => {
    let now = 0;
    const { auth, fetched } = authenticator(() => now);
    await auth.acceptChallenge(challenge, 'repository:a:pull', undefined);
    await auth.authorizationFor('repository:a:pull');
    expect(fetched).toEqual(['repository:a:pull']);
    now = 3_600_000;
    await auth.authorizationFor('repository:a:pull');
    expect(fetched).toEqual(['repository:a:pull', 'repository:a:pull']);
    expect(auth.cachedTokens).toBe(1);
  });
});

describe('RegistryAuthenticator with auto auth against a Basic registry', () => {
  const registry = new URL('https://reg.example.com/');
  const basicChallenge = { scheme: 'basic' as const, realm: 'registry' };
  const noTokens = async () => ({ status: 404, body: Buffer.alloc(0) });

  it('retries with the credentials every request that went out anonymously before the first challenge', async () => {
    const auth = new RegistryAuthenticator(
      { type: 'auto', username: 'u', password: 'p' },
      registry,
      [],
      noTokens,
    );
    // Two requests left at once, both anonymous; both come back 401 with the Basic challenge.
    expect(
      await auth.acceptChallenge(basicChallenge, undefined, undefined),
    ).toBe(true);
    expect(
      await auth.acceptChallenge(basicChallenge, undefined, undefined),
    ).toBe(true);
    const basic = await auth.authorizationFor(undefined);
    expect(basic).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    // Basic itself refused is final.
    expect(await auth.acceptChallenge(basicChallenge, undefined, basic)).toBe(
      false,
    );
  });
});
