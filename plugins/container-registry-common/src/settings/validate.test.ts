import {
  describeSettingsErrors,
  parseSettingsErrors,
  validateRegistrySettings,
} from './validate';
import { KNOWN_REGISTRY_TYPES } from './defaults';

const knownTypes = KNOWN_REGISTRY_TYPES;
const minimal = {
  id: 'team',
  name: 'Team',
  type: 'generic',
  url: 'https://r.example.com',
};

function errorsOf(input: unknown, secretsMayBeKept = false) {
  const result = validateRegistrySettings(input, {
    knownTypes,
    secretsMayBeKept,
  });
  return result.ok ? [] : result.errors;
}

describe('validateRegistrySettings', () => {
  it('fills the defaults a minimal registry needs', () => {
    const result = validateRegistrySettings(minimal, { knownTypes });
    expect(result).toEqual({
      ok: true,
      value: {
        ...minimal,
        active: true,
        auth: { type: 'auto' },
        repositories: [],
        loadFullImagesList: false,
        transport: {},
        schedule: { type: 'daily', everyDays: 1, at: '03:00' },
        filters: {},
      },
    });
  });

  it('names the field and the reason of every error', () => {
    expect(
      errorsOf({
        ...minimal,
        id: 'Team_1',
        url: 'ftp://user:pw@r.example.com',
        transport: { maxConnections: 0, pageSize: 10_001, readTimeout: 0 },
      }),
    ).toEqual(
      expect.arrayContaining([
        {
          field: 'id',
          message: expect.stringMatching(
            /lowercase letters, digits and dashes/,
          ),
        },
        { field: 'url', message: 'must use http or https, not ftp' },
        {
          field: 'url',
          message: expect.stringMatching(/must not carry a user name/),
        },
        {
          field: 'transport.maxConnections',
          message: 'must be at least 1 connections',
        },
        {
          field: 'transport.pageSize',
          message: 'must be at most 10000 entries per page',
        },
        {
          field: 'transport.readTimeout',
          message: 'must be more than 0 seconds',
        },
      ]),
    );
  });

  it('refuses a type without an adapter and lists the known ones', () => {
    expect(errorsOf({ ...minimal, type: 'nope' })).toEqual([
      {
        field: 'type',
        message: expect.stringMatching(
          /^"nope" has no adapter \(known types: generic, nexus/,
        ),
      },
    ]);
  });

  it('says a missing required field is required', () => {
    expect(errorsOf({ id: 'a', type: 'generic' })).toEqual([
      { field: 'name', message: 'is required' },
      { field: 'url', message: 'is required' },
    ]);
    expect(errorsOf({ ...minimal, name: ' ', url: '' })).toEqual([
      { field: 'name', message: 'is required' },
      { field: 'url', message: 'is required' },
    ]);
  });

  it('asks for the credentials an auth type needs, unless an update keeps the stored ones', () => {
    const basic = { ...minimal, auth: { type: 'basic', password: '' } };
    expect(errorsOf(basic)).toEqual([
      {
        field: 'auth.username',
        message: 'is required for basic authentication',
      },
      {
        field: 'auth.password',
        message: 'is required for basic authentication',
      },
    ]);
    expect(
      errorsOf({ ...basic, auth: { type: 'basic', username: 'u' } }, true),
    ).toEqual([]);
    expect(errorsOf({ ...minimal, auth: { type: 'bearer' } })).toEqual([
      { field: 'auth.token', message: 'is required for bearer authentication' },
    ]);
  });

  it('checks the three kinds of schedule', () => {
    expect(
      errorsOf({ ...minimal, schedule: { type: 'interval', minutes: 30 } }),
    ).toEqual([]);
    expect(
      errorsOf({
        ...minimal,
        schedule: { type: 'cron', expression: '*/15 2-4 * JAN-MAR mon,fri' },
      }),
    ).toEqual([]);
    expect(
      errorsOf({ ...minimal, schedule: { type: 'cron', expression: '* * *' } }),
    ).toEqual([
      {
        field: 'schedule.expression',
        message: expect.stringMatching(/must have 5 fields/),
      },
    ]);
    expect(
      errorsOf({
        ...minimal,
        schedule: { type: 'cron', expression: '61 * * * *' },
      }),
    ).toEqual([
      {
        field: 'schedule.expression',
        message: expect.stringMatching(/minute field "61"/),
      },
    ]);
    expect(
      errorsOf({
        ...minimal,
        schedule: { type: 'daily', everyDays: 366, at: '24:00' },
      }),
    ).toEqual([
      { field: 'schedule.everyDays', message: 'must be at most 365 days' },
      {
        field: 'schedule.at',
        message: 'must be a time as HH:MM (00:00–23:59)',
      },
    ]);
    expect(errorsOf({ ...minimal, schedule: { type: 'weekly' } })).toEqual([
      {
        field: 'schedule.type',
        message: 'must be of type interval, cron or daily',
      },
    ]);
  });

  it('checks filter and repository patterns', () => {
    expect(
      errorsOf({
        ...minimal,
        repositories: ['team/*', 'Bad'],
        filters: { include: ['app:*', ':v1.*'], never: ['x:'], latestTags: 0 },
      }),
    ).toEqual([
      {
        field: 'repositories.1',
        message: expect.stringMatching(/lowercase letters/),
      },
      {
        field: 'filters.never.0',
        message: expect.stringMatching(/a tag must follow ":"/),
      },
      { field: 'filters.latestTags', message: 'must be at least 1 tags' },
    ]);
  });

  it('takes allowed hosts with a wildcard subdomain, and refuses URLs there', () => {
    expect(
      errorsOf({
        ...minimal,
        transport: {
          allowedHosts: ['*.s3.amazonaws.com', 'cdn.example.com:8443'],
        },
      }),
    ).toEqual([]);
    expect(
      errorsOf({
        ...minimal,
        transport: { allowedHosts: ['https://cdn.example.com/x'] },
      }),
    ).toEqual([expect.objectContaining({ field: 'transport.allowedHosts.0' })]);
  });

  it('refuses unknown fields, so a typo is not silently ignored', () => {
    expect(errorsOf({ ...minimal, transport: { maxConnection: 3 } })).toEqual([
      { field: 'transport', message: 'has unknown fields: maxConnection' },
    ]);
  });

  it('round-trips errors through a 400 message so the form can place them', () => {
    const errors = errorsOf({
      ...minimal,
      filters: { never: ['x:'] },
      transport: { pageSize: 0 },
    });
    const message = describeSettingsErrors(errors);
    expect(
      parseSettingsErrors(message, [
        'transport.pageSize',
        'filters.never',
        'name',
      ]),
    ).toEqual([
      {
        field: 'transport.pageSize',
        message: 'must be at least 1 entries per page',
      },
      {
        field: 'filters.never',
        message: expect.stringMatching(/a tag must follow/),
      },
    ]);
  });
});

describe('parseSettingsErrors', () => {
  it('reads past a leading sentence and keeps what it cannot place', () => {
    expect(
      parseSettingsErrors(
        'Invalid registry settings: url must use http or https, not ftp; something odd',
        ['url'],
      ),
    ).toEqual([
      { field: 'url', message: 'must use http or https, not ftp' },
      { field: '(settings)', message: 'something odd' },
    ]);
  });
});
