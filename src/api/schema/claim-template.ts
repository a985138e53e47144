// A StatefulSet's volumeClaimTemplates: core/v1 PersistentVolumeClaim objects (metadata, spec,
// status), from which the StatefulSet controller makes one claim per pod.
import { labelSelector, topLevel } from './meta.ts';
import { resourceRequirements } from './container.ts';
import { arr, core, resourceList, str, strings } from './types.ts';

const typedReference = core('TypedLocalObjectReference', { apiGroup: str, kind: str, name: str }, ['kind', 'name']);

export const persistentVolumeClaimTemplate = topLevel('io.k8s.api.core.v1.PersistentVolumeClaim', {
  spec: core('PersistentVolumeClaimSpec', {
    accessModes: strings,
    selector: labelSelector,
    resources: resourceRequirements,
    volumeName: str,
    storageClassName: str,
    volumeMode: str,
    dataSource: typedReference,
    dataSourceRef: core('TypedObjectReference', { apiGroup: str, kind: str, name: str, namespace: str }, ['kind', 'name']),
    volumeAttributesClassName: str,
  }),
  status: core('PersistentVolumeClaimStatus', { phase: str, accessModes: strings, capacity: resourceList, conditions: arr(core('PersistentVolumeClaimCondition', { type: str, status: str, reason: str, message: str })) }),
});
