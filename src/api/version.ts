// The Kubernetes version mk's API server reports at /version (which decides the kubectl the
// dispatcher on these machines runs) and `mk profile list` shows.
export const VERSION = {
  major: '1',
  minor: '33',
  emulationMajor: '1',
  emulationMinor: '33',
  minCompatibilityMajor: '1',
  minCompatibilityMinor: '32',
  gitVersion: 'v1.33.0',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-04-23T00:00:00Z',
  goVersion: 'go1.24.2',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export const KUBERNETES_VERSION: string = VERSION.gitVersion;
