// StatefulSet, DaemonSet and ControllerRevision rows (printers.go printStatefulSet,
// printDaemonSet, printControllerRevision).

import { ageSince } from '../age.ts';
import { AGE_COL, CONTAINERS_COL, IMAGES_COL, NAME_COL, col, containerCells, type Printer } from '../columns.ts';
import { formatLabelSelector } from '../../api/labels.ts';
import { formatLabels } from '../table.ts';

const DS_DOC = 'More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/';

export const statefulSetPrinter: Printer = {
  columns: [NAME_COL, col('Ready', 'Number of the pod with ready state'), AGE_COL, CONTAINERS_COL, IMAGES_COL],
  cells(sts, now) {
    const [containers, images] = containerCells(sts.spec?.template?.spec);
    return [sts.metadata.name, `${sts.status?.readyReplicas ?? 0}/${sts.spec?.replicas ?? 0}`, ageSince(sts.metadata.creationTimestamp, now), containers, images];
  },
};

export const daemonSetPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Desired', `The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). ${DS_DOC}`, { type: 'integer' }),
    col('Current', `The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. ${DS_DOC}`, { type: 'integer' }),
    col('Ready', 'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.', { type: 'integer' }),
    col('Up-to-date', 'The total number of nodes that are running updated daemon pod', { type: 'integer' }),
    col('Available', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)', { type: 'integer' }),
    col('Node Selector', "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"),
    AGE_COL,
    CONTAINERS_COL,
    IMAGES_COL,
    col('Selector', "A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors", { priority: 1 }),
  ],
  cells(ds, now) {
    const st = ds.status ?? {};
    const [containers, images] = containerCells(ds.spec?.template?.spec);
    return [
      ds.metadata.name, st.desiredNumberScheduled ?? 0, st.currentNumberScheduled ?? 0, st.numberReady ?? 0, st.updatedNumberScheduled ?? 0,
      st.numberAvailable ?? 0, formatLabels(ds.spec?.template?.spec?.nodeSelector), ageSince(ds.metadata.creationTimestamp, now),
      containers, images, formatLabelSelector(ds.spec?.selector),
    ];
  },
};

/** formatResourceName with its kind: `statefulset.apps/web`. */
function ownerName(ref: { apiVersion: string; kind: string; name: string }): string {
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.slice(0, ref.apiVersion.indexOf('/')) : '';
  return `${ref.kind.toLowerCase()}${group ? `.${group}` : ''}/${ref.name}`;
}

export const controllerRevisionPrinter: Printer = {
  columns: [NAME_COL, col('Controller', 'Controller of the object'), col('Revision', 'Revision indicates the revision of the state represented by Data.'), AGE_COL],
  cells(cr, now) {
    const ref = cr.metadata.ownerReferences?.find((r) => r.controller);
    return [cr.metadata.name, ref ? ownerName(ref) : '<none>', cr.revision ?? 0, ageSince(cr.metadata.creationTimestamp, now)];
  },
};
