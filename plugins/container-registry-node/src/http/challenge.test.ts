import { parseAuthChallenge } from './challenge';

describe('parseAuthChallenge', () => {
  it('reads a bearer challenge with quoted parameters', () => {
    expect(
      parseAuthChallenge(
        'Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull,push"',
      ),
    ).toEqual({
      scheme: 'bearer',
      realm: 'https://auth.example.com/token',
      service: 'registry.example.com',
      scope: 'repository:a/b:pull,push',
      error: undefined,
    });
  });

  it('reads the insufficient_scope error', () => {
    expect(
      parseAuthChallenge(
        'Bearer realm="r",error="insufficient_scope",scope="registry:catalog:*"',
      )?.error,
    ).toBe('insufficient_scope');
  });

  it('reads a basic challenge, and ignores unknown schemes', () => {
    expect(parseAuthChallenge('Basic realm="Registry"')?.scheme).toBe('basic');
    expect(parseAuthChallenge('Negotiate abc')).toBeUndefined();
  });
});
