/**
 * The `rel="next"` target of a `Link` header, resolved against the URL of the request that
 * returned it (registries send both relative and absolute links).
 */
export function parseNextLink(
  header: string | undefined,
  requestUrl: URL,
): URL | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (!match) continue;
    const isNext = match[2]
      .split(';')
      .some(param =>
        /^\s*rel\s*=\s*"?([^"]*)"?\s*$/i
          .exec(param)?.[1]
          ?.split(/\s+/)
          .includes('next'),
      );
    if (isNext) {
      try {
        return new URL(match[1], requestUrl);
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
