import { ConfigReader } from '@backstage/config';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { builtInAdapterFactories } from '../adapters';
import { readRegistryConnection } from '../connection';
import { InMemoryCrawlMemory, RegistryCrawler } from '../crawler';
import { isRegistryError } from '../errors';

interface CliOptions {
  url?: string;
  type?: string;
  id: string;
  username?: string;
  password?: string;
  config?: string;
  repository: string[];
  maxConnections?: number;
  maxKeepalive?: number;
  keepaliveExpiry?: string;
  pageSize?: number;
  connectTimeout?: string;
  poolTimeout?: string;
  readTimeout?: string;
  writeTimeout?: string;
  requestTimeout?: string;
  maxRetries?: number;
  allowedHost: string[];
  maxRps?: number;
  insecure?: boolean;
  caFile?: string;
  passes: number;
}

const positive = (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError('must be a positive number');
  return n;
};
const collect = (value: string, previous: string[]) => [...previous, value];

/** A connection in the app-config shape, from `--config` and the flags (flags win). */
function connectionData(options: CliOptions): Record<string, any> {
  const fromFile = options.config
    ? parseYaml(readFileSync(options.config, 'utf8')) ?? {}
    : {};
  const password = options.password ?? process.env.REGISTRY_PASSWORD;
  const transport: Record<string, unknown> = {
    ...fromFile.transport,
    ...(options.maxConnections && { maxConnections: options.maxConnections }),
    ...(options.maxKeepalive && {
      maxKeepAliveConnections: options.maxKeepalive,
    }),
    ...(options.keepaliveExpiry && {
      keepAliveExpiry: options.keepaliveExpiry,
    }),
    ...(options.pageSize && { pageSize: options.pageSize }),
    ...(options.connectTimeout && { connectTimeout: options.connectTimeout }),
    ...(options.poolTimeout && { poolTimeout: options.poolTimeout }),
    ...(options.readTimeout && { readTimeout: options.readTimeout }),
    ...(options.writeTimeout && { writeTimeout: options.writeTimeout }),
    ...(options.requestTimeout && { requestTimeout: options.requestTimeout }),
    ...(options.maxRetries !== undefined && { maxRetries: options.maxRetries }),
    ...(options.allowedHost.length && { allowedHosts: options.allowedHost }),
    ...(options.maxRps && { maxRequestsPerSecond: options.maxRps }),
    ...(options.insecure && { insecureSkipTlsVerify: true }),
    ...(options.caFile && { caCert: readFileSync(options.caFile, 'utf8') }),
  };
  return {
    id: options.id,
    ...fromFile,
    ...(options.url && { url: options.url }),
    ...(options.type && { type: options.type }),
    ...(options.repository.length && { repositories: options.repository }),
    auth: {
      ...fromFile.auth,
      ...(options.username && {
        type: fromFile.auth?.type ?? 'auto',
        username: options.username,
      }),
      ...(password !== undefined && { password }),
    },
    transport,
  };
}

async function crawlOnce(
  data: Record<string, any>,
  pass: number,
  memory: InMemoryCrawlMemory,
) {
  const connection = readRegistryConnection(new ConfigReader(data), 'registry');
  const crawler = new RegistryCrawler(connection, { memory });
  try {
    for await (const result of crawler.crawl()) {
      if (pass === 0) {
        for (const image of result.images)
          process.stdout.write(`${JSON.stringify(image)}\n`);
      }
      process.stderr.write(
        `[${crawler.report.repositories} repositories, ${
          crawler.report.tags
        } tags] ${result.repository}: ${result.images.length} images${
          result.errors.length ? `, ${result.errors.length} errors` : ''
        }\n`,
      );
    }
  } finally {
    await crawler.close();
  }
  return crawler.report;
}

/** `registry-inventory`: crawls one registry and prints one JSON line per image. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('registry-inventory')
    .description(
      'Crawl one container registry and print one JSON line per image on stdout',
    )
    .option('--url <url>', 'registry URL, http(s)://host[:port][/path]')
    .option(
      '--type <type>',
      `registry product: ${builtInAdapterFactories
        .map(f => f.type)
        .join(
          ', ',
        )} (default: the config's, else generic); its options go under the <type>: key of --config`,
    )
    .option('--id <id>', 'registry id used in the output', 'cli')
    .option('--username <name>', 'user name')
    .option('--password <password>', 'password (or REGISTRY_PASSWORD)')
    .option(
      '--config <file>',
      'a connection in the app-config shape (YAML or JSON)',
    )
    .option(
      '--repository <pattern>',
      'only these repositories (repeatable, * allowed)',
      collect,
      [],
    )
    .option('--max-connections <n>', 'max concurrent connections', positive)
    .option('--max-keepalive <n>', 'max keep-alive connections', positive)
    .option('--keepalive-expiry <duration>', 'keep-alive expiry, e.g. 30s')
    .option('--page-size <n>', 'n of paged listings', positive)
    .option('--connect-timeout <duration>', 'connect timeout, e.g. 10s')
    .option('--pool-timeout <duration>', 'wait for a free connection, e.g. 60s')
    .option('--read-timeout <duration>', 'read timeout, e.g. 30s')
    .option('--write-timeout <duration>', 'write timeout, e.g. 30s')
    .option(
      '--request-timeout <duration>',
      'longest time one request may take, body included, e.g. 2m',
    )
    .option('--max-retries <n>', 'retries of a failed request, 0-10', Number)
    .option(
      '--allowed-host <host>',
      'a host redirects may lead to (repeatable, *.example.com allowed)',
      collect,
      [],
    )
    .option('--max-rps <n>', 'max requests per second', positive)
    .option('--insecure', 'skip TLS verification')
    .option('--ca-file <file>', 'PEM bundle to trust')
    .option(
      '--passes <n>',
      'crawl this many times with shared memory (to measure a recrawl)',
      positive,
      1,
    )
    .exitOverride();
  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    // Help, version and flag errors: commander has already printed what to say.
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
  const options = program.opts<CliOptions>();
  const memory = new InMemoryCrawlMemory();
  try {
    const data = connectionData(options);
    for (let pass = 0; pass < options.passes; pass++) {
      const report = await crawlOnce(data, pass, memory);
      process.stderr.write(
        `${JSON.stringify({ pass: pass + 1, report: report.toJSON() })}\n`,
      );
    }
    return 0;
  } catch (error) {
    const message = isRegistryError(error)
      ? error.advice
      : (error as Error).message;
    process.stderr.write(`registry-inventory: ${message}\n`);
    return 1;
  }
}
