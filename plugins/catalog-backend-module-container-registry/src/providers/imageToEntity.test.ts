import { sourceLocation } from './imageToEntity';

const SOURCE = 'org.opencontainers.image.source';

describe('sourceLocation', () => {
  it('publishes the source label as a url location', () => {
    expect(sourceLocation({ [SOURCE]: 'https://github.com/acme/web' })).toBe(
      'url:https://github.com/acme/web',
    );
  });

  it('never republishes credentials or a signed query baked into the label', () => {
    expect(
      sourceLocation({
        [SOURCE]:
          'https://ci-bot:ghp_secret123@github.com/acme/web?token=abc#frag',
      }),
    ).toBe('url:https://github.com/acme/web');
  });

  it.each(['ssh://git@github.com/acme/web', 'not a url', ''])(
    'publishes nothing for %p',
    source => {
      expect(sourceLocation({ [SOURCE]: source })).toBeUndefined();
    },
  );
});
