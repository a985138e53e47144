// The explicit command list oclif loads (package.json oclif.commands): id → class, in two
// groups. Topic separator is a space, so `create:deployment` is typed `mk create deployment`.
import { CLUSTER_COMMANDS } from './lifecycle-commands.ts';
import { OBJECT_COMMANDS } from './object-commands.ts';

export const COMMANDS = { ...CLUSTER_COMMANDS, ...OBJECT_COMMANDS };
