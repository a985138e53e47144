// The commands that work on the cluster's objects through its API, as kubectl's do (get,
// apply, expose, exec, …), and `mk apiserver`, which runs that API alone.
import ApiServer from './apiserver.ts';
import Apply from './apply.ts';
import Attach from './attach.ts';
import Create from './create.ts';
import CreateDeployment from './create/deployment.ts';
import Delete from './delete.ts';
import Describe from './describe.ts';
import Exec from './exec.ts';
import Expose from './expose.ts';
import Get from './get.ts';
import Label from './label.ts';
import Logs from './logs.ts';
import PortForward from './port-forward.ts';
import Run from './run.ts';
import Scale from './scale.ts';

export const OBJECT_COMMANDS = {
  apiserver: ApiServer,
  apply: Apply,
  attach: Attach,
  create: Create, 'create:deployment': CreateDeployment,
  delete: Delete,
  describe: Describe,
  exec: Exec,
  expose: Expose,
  get: Get,
  label: Label,
  logs: Logs,
  'port-forward': PortForward,
  run: Run,
  scale: Scale,
};
