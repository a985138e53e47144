// The explicit command list oclif loads (package.json oclif.commands): id → class.
// Topic separator is a space, so `create:deployment` is typed `mk create deployment`.
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
import ImageBuild from './image/build.ts';
import ImageLoad from './image/load.ts';
import ImageLs from './image/ls.ts';
import Ip from './ip.ts';
import Label from './label.ts';
import Logs from './logs.ts';
import NodeAdd from './node/add.ts';
import NodeDelete from './node/delete.ts';
import NodeList from './node/list.ts';
import PortForward from './port-forward.ts';
import Profile from './profile.ts';
import ProfileList from './profile/list.ts';
import ProxyRules from './proxy/rules.ts';
import Run from './run.ts';
import Scale from './scale.ts';
import Service from './service.ts';
import ServiceList from './service/list.ts';
import Ssh from './ssh.ts';
import Start from './start.ts';
import Status from './status.ts';
import Stop from './stop.ts';
import Tunnel from './tunnel.ts';
import UpdateContext from './update-context.ts';

export const COMMANDS = {
  apiserver: ApiServer,
  apply: Apply,
  attach: Attach,
  create: Create,
  'create:deployment': CreateDeployment,
  delete: Delete,
  describe: Describe,
  exec: Exec,
  expose: Expose,
  get: Get,
  'image:build': ImageBuild,
  'image:load': ImageLoad,
  'image:ls': ImageLs,
  ip: Ip,
  label: Label,
  logs: Logs,
  'node:add': NodeAdd,
  'node:delete': NodeDelete,
  'node:list': NodeList,
  'port-forward': PortForward,
  profile: Profile,
  'profile:list': ProfileList,
  'proxy:rules': ProxyRules,
  run: Run,
  scale: Scale,
  service: Service,
  'service:list': ServiceList,
  ssh: Ssh,
  start: Start,
  status: Status,
  stop: Stop,
  tunnel: Tunnel,
  'update-context': UpdateContext,
};
