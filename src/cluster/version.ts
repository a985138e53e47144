// Versions the lifecycle reports: mk's own (the node image tag) and the Kubernetes version the
// API server claims (what `mk profile list` shows).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERSION } from '../apiserver/discovery.ts';
import { PACKAGE_ROOT } from './image/index.ts';

export const KUBERNETES_VERSION: string = VERSION.gitVersion;

export const MK_VERSION: string = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
