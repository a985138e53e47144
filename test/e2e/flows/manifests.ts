// The pods the e2e tests set up on a real cluster, as YAML documents to join with `---`: a
// busybox client that sleeps (requests and lookups are exec'd in it) and a Deployment of the
// echo image (answers `Hello, world!` with its hostname). Images are the local test images.
import { ECHO_PORT, TEST_IMAGES } from '../../images/index.ts';

/** A busybox pod `name` (and its container) sleeping for an hour. */
export const busyboxPod = (name = 'client') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
  - name: ${name}
    image: ${TEST_IMAGES.busybox}
    imagePullPolicy: IfNotPresent
    command: ["sleep", "3600"]
`;

/** A Deployment `name` of `replicas` echo pods labelled app=<name>; its container port is named
 * `portName` when given; `labelled` puts app=<name> on the Deployment itself too. */
export function echoDeployment(name: string, o: { replicas: number; container?: string; portName?: string; labelled?: boolean }): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
${o.labelled ? `  labels: {app: ${name}}\n` : ''}spec:
  replicas: ${o.replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: ${o.container ?? name}
        image: ${TEST_IMAGES.echo}
        imagePullPolicy: IfNotPresent
        ports:
        - ${o.portName ? `{name: ${o.portName}, containerPort: ${ECHO_PORT}}` : `containerPort: ${ECHO_PORT}`}
`;
}
