// The entry point of the mk executable (scripts/build bundles from here; bin/mk.js is the entry
// point of the sources). One file, two roles:
//   mk agent --role … : the node agent, in every node container of the executable's node image;
//   mk <anything else>: the CLI.
// Each role is reached through import(), which the bundle keeps lazy: the agent never evaluates
// oclif or ink, the CLI never evaluates the agent's modules it does not use.

async function cli(argv: string[]): Promise<void> {
  const { run, flush } = await import('@oclif/core');
  const { bundledConfig } = await import('./oclif.ts');
  try {
    await run(argv, await bundledConfig(process.execPath));
    await flush();
  } catch (err) {
    const { reportError } = await import('../cli/errors.ts');
    process.exitCode = reportError(err, argv.includes('--verbose'));
  }
}

async function agent(argv: string[]): Promise<void> {
  const { main } = await import('../agent/main.ts');
  try {
    await main(argv);
  } catch (e) {
    console.error(`agent: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    process.exit(1);
  }
}

const argv = process.argv.slice(2);
void (argv[0] === 'agent' ? agent(argv.slice(1)) : cli(argv));
