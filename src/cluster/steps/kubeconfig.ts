// Step: write the kubeconfig context named for the profile (current unless --keep-context) and
// record the profile file.
import { kubeconfigPath, saveClusterAccess, MK_PROVIDER } from '../../kubeconfig/index.ts';
import { KUBERNETES_VERSION, MK_VERSION } from '../version.ts';
import { saveProfile } from '../profile.ts';
import { mustNet, type StartContext } from './context.ts';
import type { Step } from './runner.ts';

export const writeKubeconfig: Step<StartContext> = {
  title: (ctx) => `Writing kubeconfig context ${ctx.o.profile}`,
  async run(ctx) {
    const { caPem, token } = ctx.access!;
    ctx.kubeconfigPath = saveClusterAccess(
      { profile: ctx.o.profile, server: `https://127.0.0.1:${ctx.ports!.apiserver}`, caPem, token, extension: { provider: MK_PROVIDER, version: MK_VERSION } },
      { path: ctx.o.kubeconfig ?? kubeconfigPath(ctx.o.env), makeCurrent: !ctx.o.keepContext },
    );
    saveProfile({
      name: ctx.o.profile,
      subnet: mustNet(ctx).subnet,
      nodes: ctx.nodes.map((n) => ({ name: n.name, ip: n.ip, role: n.role, podCIDR: n.podCIDR })),
      ports: ctx.ports!,
      image: ctx.image!,
      kubernetesVersion: KUBERNETES_VERSION,
      proxyMode: ctx.o.proxyMode,
      createdAt: ctx.previous?.createdAt ?? new Date().toISOString(),
    }, ctx.o.env);
  },
};
