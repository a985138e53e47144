// How a node container of this mk runs its agent, and from which node image. Two flavours, chosen
// by what the running mk is (src/lib/executable.ts):
//  - the mk executable: `mk agent …` in mk-node:<version>-<build>, the image made from the
//    executable itself (binary-image.ts); nothing of the host's file system is mounted;
//  - mk's sources (development, the test suites): Node.js runs src/agent/main.ts from the
//    package bind-mounted read-only at /opt/mk, in mk-node:<version> (node-image.ts), so an edited
//    source runs without rebuilding any image.
// A cluster whose nodes run another image than the one this mk makes was started by another mk.

import type { Mount, Runtime } from '../../runtime/types.ts';
import type { RunningExecutable } from '../../lib/executable.ts';
import { MK_IN_NODE, binaryImageTag, ensureBinaryImage } from './binary-image.ts';
import { MK_DIR_IN_NODE, ensureNodeImage, nodeImageTag, type NodeImageResult } from './node-image.ts';

export interface LaunchOptions {
  /** mk's version */
  version: string;
  /** the mk package (sources), bind-mounted when there is no executable */
  packageRoot: string;
  /** the running mk executable; undefined when mk runs from its sources */
  executable?: RunningExecutable;
}

/** The node image this mk runs its nodes on. */
export function nodeImageOf(o: LaunchOptions): string {
  return o.executable ? binaryImageTag(o.executable) : nodeImageTag(o.version);
}

/** Builds the node image (offline) unless the engine has it. */
export function ensureNodeImageOf(rt: Runtime, o: LaunchOptions): Promise<NodeImageResult> {
  return o.executable ? ensureBinaryImage(rt, { exe: o.executable }) : ensureNodeImage(rt, { version: o.version });
}

/** The agent's command line up to its own flags. */
export function agentCommand(o: LaunchOptions): string[] {
  return o.executable ? [MK_IN_NODE, 'agent'] : ['node', `${MK_DIR_IN_NODE}/src/agent/main.ts`];
}

/** What the agent needs mounted from the host besides its volume and the Docker socket. */
export function agentMounts(o: LaunchOptions): Mount[] {
  return o.executable ? [] : [{ type: 'bind', source: o.packageRoot, target: MK_DIR_IN_NODE, readOnly: true }];
}
