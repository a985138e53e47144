// The dashboard e2e test's objects, as YAML documents to join with `---`: the web Service (the
// web Deployment comes from the flows' echoDeployment), seed 002's `ready` Deployment and Service
// (a readiness probe on /tmp/ready) and seed 002's Ingress of several hosts and paths.
import { ECHO_PORT, TEST_IMAGES } from '../../images/index.ts';

export const service = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: ${ECHO_PORT}
`;

// seed 002's readiness probe: ready while /tmp/ready exists (checked every second)
export const ready = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ready
spec:
  replicas: 2
  selector:
    matchLabels: {app: ready}
  template:
    metadata:
      labels: {app: ready}
    spec:
      containers:
      - name: ready
        image: ${TEST_IMAGES.echo}
        imagePullPolicy: IfNotPresent
        command: ["sh", "-c", "mkdir -p /tmp && touch /tmp/ready && exec nc -ll -p ${ECHO_PORT} -e /bin/handler"]
        readinessProbe:
          exec: {command: ["cat", "/tmp/ready"]}
          periodSeconds: 1
          failureThreshold: 1
---
apiVersion: v1
kind: Service
metadata:
  name: ready
spec:
  selector: {app: ready}
  ports:
  - port: 80
    targetPort: ${ECHO_PORT}
`;

// seed 002's Ingress of several hosts and paths
export const ingress = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
  - host: web.local
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
      - {path: /ready, pathType: Prefix, backend: {service: {name: ready, port: {number: 80}}}}
  - host: ready.local
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: ready, port: {number: 80}}}}
`;
