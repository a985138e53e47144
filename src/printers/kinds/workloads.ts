// Deployment and ReplicaSet rows (printers.go printDeployment, printReplicaSet).

import { ageSince } from '../age.ts';
import { AGE_COL, CONTAINERS_COL, IMAGES_COL, NAME_COL, col, containerCells, type Printer } from '../columns.ts';
import { formatLabelSelector } from '../../api/labels.ts';

const SELECTOR_DESC = 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template\'s labels.';

export const deploymentPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Ready', 'Number of the pod with ready state'),
    col('Up-to-date', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    col('Available', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    AGE_COL,
    CONTAINERS_COL,
    IMAGES_COL,
    col('Selector', SELECTOR_DESC, { priority: 1 }),
  ],
  cells(d, now) {
    const spec = d.spec ?? {};
    const status = d.status ?? {};
    const [containers, images] = containerCells(spec.template?.spec);
    return [
      d.metadata.name, `${status.readyReplicas ?? 0}/${spec.replicas ?? 0}`, status.updatedReplicas ?? 0,
      status.availableReplicas ?? 0, ageSince(d.metadata.creationTimestamp, now), containers, images,
      formatLabelSelector(spec.selector),
    ];
  },
};

export const replicaSetPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Desired', 'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller', { type: 'integer' }),
    col('Current', 'Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller', { type: 'integer' }),
    col('Ready', 'readyReplicas is the number of pods targeted by this ReplicaSet with a Ready Condition.', { type: 'integer' }),
    AGE_COL,
    CONTAINERS_COL,
    IMAGES_COL,
    col('Selector', 'Selector is a label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this replica set. It must match the pod template\'s labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors', { priority: 1 }),
  ],
  cells(rs, now) {
    const spec = rs.spec ?? {};
    const status = rs.status ?? {};
    const [containers, images] = containerCells(spec.template?.spec);
    return [
      rs.metadata.name, spec.replicas ?? 0, status.replicas ?? 0, status.readyReplicas ?? 0,
      ageSince(rs.metadata.creationTimestamp, now), containers, images, formatLabelSelector(spec.selector),
    ];
  },
};
