// Test helper: `kubectl describe` cases, each compared with the text kubectl 1.33 itself prints
// for the same objects (served by the Oracle); the oracle is handed back for a file's other tests.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveResource } from '../../api/resources.ts';
import type { KubeObject } from '../../api/types.ts';
import { Oracle, hasKubectl } from '../testdata/oracle.ts';
import { describe } from './index.ts';

export interface DescribeCase { args: string; kind: string; obj: KubeObject; ctx: Parameters<typeof describe>[2] }

/** Why a test comparing with kubectl 1.33 is skipped here, or false. */
export const NO_KUBECTL_133 = !hasKubectl(33) && 'kubectl.1.33 not installed';

/** Registers one test per case (`<args> matches kubectl 1.33`) against an oracle serving `objects`. */
export function describeMatchesKubectl(objects: KubeObject[], now: Date, cases: DescribeCase[]): () => Oracle {
  let oracle: Oracle | undefined;
  before(async () => {
    if (NO_KUBECTL_133) return;
    oracle = new Oracle(objects, now);
    await oracle.start();
  });
  after(async () => oracle?.stop());
  for (const c of cases) {
    test(`${c.args} matches kubectl 1.33`, { skip: NO_KUBECTL_133 }, async () => {
      const want = await oracle!.kubectl(33, c.args.split(' '));
      assert.equal(describe(resolveResource(c.kind)!, c.obj, { ...c.ctx, now: new Date() }), want);
    });
  }
  return () => oracle!;
}
