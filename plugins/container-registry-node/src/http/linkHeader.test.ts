import { parseNextLink } from './linkHeader';

const base = new URL('https://registry.example.com/v2/_catalog?n=2');

describe('parseNextLink', () => {
  it('resolves a relative link against the request URL', () => {
    expect(
      parseNextLink('</v2/_catalog?last=b&n=2>; rel="next"', base)?.href,
    ).toBe('https://registry.example.com/v2/_catalog?last=b&n=2');
  });

  it('keeps an absolute link as is', () => {
    expect(
      parseNextLink('<https://other.example.com/x>; rel=next', base)?.href,
    ).toBe('https://other.example.com/x');
  });

  it('picks rel="next" among several links', () => {
    const header = '</first>; rel="first", </v2/_catalog?last=z>; rel="next"';
    expect(parseNextLink(header, base)?.pathname).toBe('/v2/_catalog');
  });

  it('returns undefined without a next link', () => {
    expect(parseNextLink(undefined, base)).toBeUndefined();
    expect(parseNextLink('</prev>; rel="prev"', base)).toBeUndefined();
  });
});
