// Type tests (checked by `tsc --noEmit -p .`) and one run of the TypeScript compiler on a wrong call, to see which
// error a user reads.
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  buddyCatalog,
  createPublisher,
  fileOutbox,
  httpTransport,
  type Publisher,
  publisherConfigFromEnv,
} from '../../src/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('publisher types', () => {
  it('enqueue resolves with the event id; values read from the environment fit the options', () => {
    type P = Publisher<typeof buddyCatalog>;
    expectTypeOf<ReturnType<P['enqueue']>>().toEqualTypeOf<Promise<string>>();
    // Under exactOptionalPropertyTypes: `string | undefined` from process.env is accepted, and refused at run time.
    const fromEnvironment = () => {
      const config = publisherConfigFromEnv();
      return createPublisher({
        transport: httpTransport({ url: process.env.CSR_WEBHOOK_URL, secret: process.env.CSR_WEBHOOK_SECRET }),
        retry: config.retry,
        outbox: config.outbox,
        catalog: buddyCatalog,
      });
    };
    const withFileOutbox = () =>
      createPublisher({ transport: httpTransport(publisherConfigFromEnv().transport), outbox: fileOutbox('./outbox') });
    expect(typeof fromEnvironment).toBe('function');
    expect(typeof withFileOutbox).toBe('function');
  });

  it('a missing data field is reported by name, as the last thing TypeScript says about the call', () => {
    const file = `${root}test/publisher/__overload-probe.ts`;
    const source = [
      "import { buddyCatalog, createPublisher, httpTransport } from '../../src/index.js';",
      "const publisher = createPublisher({ transport: httpTransport({ url: 'https://x.example', secret: 's' }), catalog: buddyCatalog });",
      "void publisher.publish('buddy.match.created', { matchId: 'm', participantId: 'p', matchedAt: 't' });",
      "void publisher.enqueue('buddy.match.created', { matchId: 'm', participantId: 'p', matchedAt: 't' });",
    ].join('\n');
    const config = ts.getParsedCommandLineOfConfigFile(
      `${root}tsconfig.json`,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: () => {},
      },
    );
    const options = { ...config!.options, noEmit: true };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, language, ...rest) =>
      name === file ? ts.createSourceFile(name, source, language) : getSourceFile(name, language, ...rest);
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => name === file || fileExists(name);
    const program = ts.createProgram([file], options, host);
    const diagnostics = program.getSemanticDiagnostics(program.getSourceFile(file));
    expect(diagnostics.map((d) => d.code)).toEqual([2769, 2769]);
    for (const diagnostic of diagnostics) {
      const lines = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n').split('\n');
      // Editors and newer compilers show the end of the chain: with the envelope overload first, that is the
      // typed overload's complaint about the data object.
      expect(lines.at(-1)).toMatch(/Property 'buddyId' is missing/);
    }
  }, 60_000);
});
