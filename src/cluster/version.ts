// Versions the lifecycle reports: mk's own (the node image tag) and the Kubernetes version the
// API server claims (what `mk profile list` shows). package.json is imported, not read from
// disk, so the executable's bundle carries it.
import pkg from '../../package.json' with { type: 'json' };
export { KUBERNETES_VERSION } from '../api/version.ts';

export const MK_VERSION: string = pkg.version;
