import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteProfile, listProfiles, loadProfile, profilesDir, saveProfile, type Profile } from './profile.ts';

const sample = (name: string): Profile => ({
  name, subnet: '10.244.0.0/16', image: 'mk-node:0.1.0', kubernetesVersion: 'v1.33.0', createdAt: '2026-01-01T00:00:00.000Z',
  ports: { apiserver: 40001, http: 40002, https: 40003 },
  nodes: [{ name, ip: '10.244.0.2', role: 'control-plane', podCIDR: '10.244.1.0/24' }],
});

test('profile files under $HOME/.mk/profiles', () => {
  const home = mkdtempSync(join(tmpdir(), 'mk-profile-'));
  const env = { HOME: home };
  try {
    assert.deepEqual(listProfiles(env), []);
    assert.equal(loadProfile('mk', env), undefined);
    saveProfile(sample('mk'), env);
    saveProfile(sample('dev'), env);
    assert.equal(profilesDir(env), join(home, '.mk', 'profiles'));
    assert.deepEqual(listProfiles(env), ['dev', 'mk']);
    assert.deepEqual(loadProfile('mk', env), sample('mk'));
    deleteProfile('mk', env);
    deleteProfile('absent', env);
    assert.deepEqual(listProfiles(env), ['dev']);
    writeFileSync(join(profilesDir(env), 'bad.json'), '{');
    assert.throws(() => loadProfile('bad', env), /is not valid JSON/);
    mkdirSync(join(profilesDir(env), 'x'));
    assert.deepEqual(listProfiles(env), ['bad', 'dev']);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
