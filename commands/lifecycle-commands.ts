// The commands of the cluster's lifecycle, as minikube has them (start, stop, status, node,
// image, profile, service, tunnel, dashboard, …): each acts on one cluster through src/cluster's Cluster.
import AddonsDisable from './addons/disable.ts';
import AddonsEnable from './addons/enable.ts';
import AddonsList from './addons/list.ts';
import Dashboard from './dashboard.ts';
import ImageBuild from './image/build.ts';
import ImageLoad from './image/load.ts';
import ImageLs from './image/ls.ts';
import Ip from './ip.ts';
import NodeAdd from './node/add.ts';
import NodeDelete from './node/delete.ts';
import NodeList from './node/list.ts';
import Profile from './profile.ts';
import ProfileList from './profile/list.ts';
import ProxyRules from './proxy/rules.ts';
import Service from './service.ts';
import ServiceList from './service/list.ts';
import Ssh from './ssh.ts';
import Start from './start.ts';
import Status from './status.ts';
import Stop from './stop.ts';
import Tunnel from './tunnel.ts';
import UpdateContext from './update-context.ts';

export const CLUSTER_COMMANDS = {
  'addons:disable': AddonsDisable, 'addons:enable': AddonsEnable, 'addons:list': AddonsList,
  dashboard: Dashboard,
  'image:build': ImageBuild, 'image:load': ImageLoad, 'image:ls': ImageLs,
  ip: Ip,
  'node:add': NodeAdd, 'node:delete': NodeDelete, 'node:list': NodeList,
  profile: Profile, 'profile:list': ProfileList,
  'proxy:rules': ProxyRules,
  service: Service, 'service:list': ServiceList,
  ssh: Ssh,
  start: Start,
  status: Status,
  stop: Stop,
  tunnel: Tunnel,
  'update-context': UpdateContext,
};
