// oclif without a package on disk: the executable's configuration is built from the package.json
// and the command classes compiled into the bundle. oclif's root plugin normally reads
// package.json from its root and import()s the explicit command target (commands/index.ts)
// from there; here the plugin is given the package.json and its command cache is the COMMANDS
// table itself, so nothing is looked up on the file system (no manifest, no user plugins).
import { Config, Plugin, type Interfaces } from '@oclif/core';
import pkg from '../../package.json' with { type: 'json' };
import { COMMANDS } from '../../commands/index.ts';

/** The oclif configuration of the executable; `root` is only reported (`mk --version --verbose`). */
export async function bundledConfig(root: string): Promise<Config> {
  const pjson = { name: pkg.name, version: pkg.version, oclif: pkg.oclif } as unknown as Interfaces.PJSON;
  const plugin = new Plugin({ root, pjson, isRoot: true, ignoreManifest: true });
  // loadCommandsFromTarget() answers from this cache before it would import the target
  (plugin as unknown as { commandCache: typeof COMMANDS }).commandCache = COMMANDS;
  await plugin.load();
  return Config.load({ root, pjson, plugins: new Map([[plugin.name, plugin]]) });
}
