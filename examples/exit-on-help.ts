/**
 * `--help` for the example scripts. They take no arguments, only environment variables: `--help` prints them and
 * exits 0; any other argument is a mistake (exit 2), rather than something silently ignored.
 *
 * @module
 */

/**
 * Prints `usage` and exits when the script was given `--help` (0) or any other argument (2); returns otherwise.
 *
 * @example
 * ```ts
 * exitOnHelp('Usage: npm run example:express\n\nEnv: PORT (default 3000)')
 * ```
 */
export function exitOnHelp(usage: string, argv: readonly string[] = process.argv.slice(2)): void {
  if (argv.length === 0) return;
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage);
    process.exit(0);
  }
  console.error(
    `unexpected argument ${JSON.stringify(argv[0])}: the example takes environment variables only\n\n${usage}`,
  );
  process.exit(2);
}
