/**
 * Whether this run is CI. Any truthy `CI` counts (`true`, `1`, `yes` …), as CI providers set it; only unset, empty,
 * `0` and `false` do not. Under CI a missing service fails the run instead of skipping its suites.
 */
export function isCI(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}
