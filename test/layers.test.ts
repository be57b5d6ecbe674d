/**
 * The layers of src/ run one way. This test reads every import of every source file (type-only imports too: a
 * type cycle still ties two files together) and fails when a lower layer imports a higher one. `madge --circular`
 * in `npm run lint` catches cycles; this catches a wrong direction before it becomes one.
 *
 * From the bottom up: envelope/, catalog/, signing/ (pure) → delivery/ (the contract both sides share: Transport,
 * attempt context, Retry-After, the dead-letter entry and queue, observer guards) → publisher/, receiver/ →
 * transports/, stores/ → adapters/ → cli/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../src');

interface Rule {
  /** Files this rule applies to: a folder of src/ with a trailing slash (`''`: all), or an entry area. */
  readonly from: readonly string[];
  /** Files it does not apply to. */
  readonly except?: readonly string[];
  /** What they may not import. */
  readonly forbid: readonly string[];
  /** Exceptions to `forbid`. */
  readonly allow?: readonly string[];
  readonly why: string;
}

const PURE = ['envelope/', 'catalog/', 'signing/'];
const OPTIONAL_PEERS = ['transports/nats', 'stores/postgres', 'stores/redis', 'observability/prometheus'];

const RULES: readonly Rule[] = [
  {
    from: PURE,
    forbid: ['delivery/', 'publisher/', 'receiver/', 'transports/', 'stores/', 'adapters/', 'cli/', 'testing/'],
    why: 'envelope, catalog and signing are the pure bottom: they load on any fetch runtime',
  },
  {
    from: ['delivery/'],
    forbid: ['publisher/', 'receiver/', 'transports/', 'stores/', 'adapters/', 'cli/', 'testing/'],
    why: 'delivery/ is the contract below both the publisher and the transports',
  },
  {
    from: ['publisher/'],
    forbid: ['receiver/', 'stores/', 'adapters/', 'cli/', 'testing/', ...OPTIONAL_PEERS],
    // publisherConfigFromEnv composes the parts the variables name: httpTransport's options (with its URL masking)
    // and fileOutbox. The rest of publisher/ sees transports only through delivery/transport.ts.
    allow: ['transports/http-transport.ts', 'transports/http/mask-url.ts', 'stores/file/file-outbox.ts'],
    why: 'the publisher sees transports only through delivery/ and stores through the Outbox interface',
  },
  {
    from: ['receiver/'],
    forbid: ['publisher/', 'transports/', 'stores/', 'adapters/', 'cli/', 'testing/'],
    why: 'the receiver core knows no publisher, transport, store backend or framework',
  },
  {
    from: ['transports/'],
    forbid: ['publisher/', 'stores/', 'adapters/', 'cli/', 'testing/'],
    why: 'transports import delivery/, never the publisher',
  },
  {
    from: ['stores/'],
    forbid: ['transports/', 'adapters/', 'cli/', 'testing/'],
    why: 'stores implement the outbox, idempotency and dead-letter interfaces, nothing more',
  },
  {
    from: ['adapters/'],
    forbid: [
      'delivery/',
      'publisher/',
      'transports/',
      'stores/',
      'catalog/',
      'envelope/',
      'signing/',
      'receiver/',
      'cli/',
      'testing/',
    ],
    // The receiver's public types, plus the HTTP plumbing every host shares (the JSON answer, the body refusal) and
    // the adapter-only view of a receiver (adapter-view.ts, from the core-recv branch).
    allow: [
      'receiver/adapter-view.ts',
      'receiver/receiver.ts',
      'receiver/types.ts',
      'receiver/responses.ts',
      'receiver/read-web-body.ts',
      'signing/types.ts',
    ],
    why: 'adapters go through the receiver public API only',
  },
  {
    // An entry's own files import each other (transports/nats.ts → transports/nats/…): see `violations`.
    from: [''],
    except: ['cli/'],
    forbid: ['cli/', 'adapters/', 'testing/', ...OPTIONAL_PEERS],
    why: 'the core never imports an entry of its own (a framework adapter, an optional peer, the CLI, testing)',
  },
];

/** Every .ts file of src/, relative to src/, tests excluded. */
function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path.relative(SRC, full)] : [];
  });
}

/** The src/ files `file` imports or re-exports from, relative to src/ (type-only imports included). */
function importsOf(file: string, text = readFileSync(path.join(SRC, file), 'utf8')): string[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles
    .map((ref) => ref.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => path.relative(SRC, path.resolve(path.dirname(path.join(SRC, file)), name)).replace(/\.js$/, '.ts'));
}

/** Whether `file` is inside `area`: a folder (`'publisher/'`), or an entry (`'transports/nats'`: the file and folder). */
function matches(file: string, area: string): boolean {
  if (area === '' || area.endsWith('/')) return file.startsWith(area);
  return file === `${area}.ts` || file.startsWith(`${area}/`) || file === area;
}

/** The broken rules of one import, as readable lines. */
function violations(file: string, imported: string): string[] {
  const found: string[] = [];
  for (const rule of RULES) {
    if (!rule.from.some((area) => matches(file, area))) continue;
    if (rule.except?.some((area) => matches(file, area))) continue;
    const area = rule.forbid.find((forbidden) => matches(imported, forbidden));
    if (area === undefined) continue;
    // Inside one area imports are free: adapters/node.ts → adapters/node-io.ts, transports/nats/… among themselves.
    if (matches(file, area)) continue;
    if (rule.allow?.some((allowed) => matches(imported, allowed))) continue;
    found.push(`${file} imports ${imported}: ${rule.why}`);
  }
  return found;
}

describe('layers of src/', () => {
  const files = sourceFiles();

  it('finds the source files and their imports', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(importsOf('transports/http-transport.ts')).toContain('delivery/transport.ts');
  });

  it('no lower layer imports a higher one', () => {
    const broken = files.flatMap((file) => importsOf(file).flatMap((imported) => violations(file, imported)));
    expect(broken).toEqual([]);
  });

  it('catches a transport that imports the publisher', () => {
    const text = "import { createPublisher } from '../../publisher/create-publisher.js';\n";
    const imported = importsOf('transports/http/node-post.ts', text);
    expect(imported).toEqual(['publisher/create-publisher.ts']);
    expect(violations('transports/http/node-post.ts', imported[0] as string)).toHaveLength(1);
  });

  it('catches the core importing an optional peer or an adapter', () => {
    expect(violations('receiver/pipeline.ts', 'transports/nats/nats-link.ts')).not.toEqual([]);
    expect(violations('publisher/deliver.ts', 'adapters/express.ts')).not.toEqual([]);
    expect(violations('signing/sign.ts', 'delivery/transport.ts')).not.toEqual([]);
    expect(violations('adapters/express.ts', 'receiver/pipeline.ts')).not.toEqual([]);
  });

  it('lets a folder import inside itself and the CLI use entries', () => {
    expect(violations('transports/nats/nats-transport.ts', 'transports/nats/publish-flight.ts')).toEqual([]);
    expect(violations('cli/commands/listen.ts', 'adapters/node.ts')).toEqual([]);
    expect(violations('transports/http/node-post.ts', 'delivery/attempt-context.ts')).toEqual([]);
  });
});
