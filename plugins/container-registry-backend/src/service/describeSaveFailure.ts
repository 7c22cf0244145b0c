import { UnstorableImageError } from '../database/storableImage';

/** Characters of a repository name shown in a message; longer names are cut. */
const MAX_NAME_IN_MESSAGE = 120;

function shortName(repository: string): string {
  const printable = [...repository]
    .map(char => (char < ' ' || char === '\u007f' ? '?' : char))
    .join('');
  return printable.length > MAX_NAME_IN_MESSAGE
    ? `${printable.slice(0, MAX_NAME_IN_MESSAGE)}…`
    : printable;
}

/**
 * Why a repository could not be saved, for the crawl history and the log. A database error's
 * own message can embed the values it was given (a label, a date) — anything a registry
 * answered — so only its code is kept.
 */
export function describeSaveFailure(
  repository: string,
  error: unknown,
): string {
  const name = shortName(repository);
  if (error instanceof UnstorableImageError) {
    return `${name} was not saved: ${shortName(error.message)}`;
  }
  const code = (error as { code?: unknown })?.code;
  const known = typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code);
  return `${name} could not be saved in the inventory (database error${
    known ? ` ${code}` : ''
  }); its images were kept as they were`;
}
