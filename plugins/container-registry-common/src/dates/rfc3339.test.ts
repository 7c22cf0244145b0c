import { MAX_RFC3339_LENGTH, normalizeRfc3339 } from './rfc3339';

describe('normalizeRfc3339', () => {
  it.each([
    '2026-03-01T00:00:00Z',
    '2026-03-01t00:00:00z',
    '2024-02-29T23:59:60+01:00',
    '2026-03-01T12:34:56.123456789-07:30',
  ])('keeps %s', value => {
    expect(normalizeRfc3339(value)).toBe(value);
  });

  it.each([
    ['a date without time', '2026-03-01'],
    ['a day that does not exist', '2026-02-30T00:00:00Z'],
    ['an hour past 23', '2026-03-01T24:00:00Z'],
    ['no offset', '2026-03-01T00:00:00'],
    ['words', 'yesterday'],
    ['a NUL byte', '2026-03-01T00:00:00Z\u0000'],
    ['too many fraction digits', '2026-03-01T00:00:00.1234567890Z'],
    ['a number', 1700000000],
    ['a long string', `2026-03-01T00:00:00Z${' '.repeat(100)}`],
  ])('drops %s', (_what, value) => {
    expect(normalizeRfc3339(value)).toBeUndefined();
  });

  it('never keeps more than the stated length', () => {
    const longest = '2026-03-01T12:34:56.123456789+01:00';
    expect(longest).toHaveLength(MAX_RFC3339_LENGTH);
    expect(normalizeRfc3339(longest)).toBe(longest);
  });
});
