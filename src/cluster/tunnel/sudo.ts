// Under `sudo mk tunnel` HOME is root's, but the profile and the kubeconfig are the invoking
// user's: their home is read from the passwd database (SUDO_USER names them).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The home of the user who ran sudo, from passwd text; undefined when not under sudo. */
export function sudoUserHome(env: NodeJS.ProcessEnv, passwd: string): string | undefined {
  const user = env.SUDO_USER;
  if (!user || user === 'root') return undefined;
  const line = passwd.split('\n').find((l) => l.split(':')[0] === user);
  return line?.split(':')[5] || undefined;
}

/** The environment to find profiles and the kubeconfig in: the invoking user's home under sudo. */
export function invokingUserEnv(env: NodeJS.ProcessEnv = process.env, passwdFile = '/etc/passwd'): NodeJS.ProcessEnv {
  let passwd = '';
  try {
    passwd = readFileSync(passwdFile, 'utf8');
  } catch {
    return env;
  }
  const home = sudoUserHome(env, passwd);
  if (!home) return env;
  return { ...env, HOME: home, KUBECONFIG: env.KUBECONFIG ?? join(home, '.kube', 'config') };
}
