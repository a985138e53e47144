import type { KubeObject } from '../../api/types.ts';
import type { ResourceType } from '../../api/resources.ts';
export interface DescribeContext { events?: KubeObject[]; endpoints?: KubeObject; endpointSlices?: KubeObject[]; pods?: KubeObject[]; replicaSets?: KubeObject[]; now?: Date }
export function describe(r: ResourceType, obj: KubeObject, ctx: DescribeContext = {}): string { return ''; }
