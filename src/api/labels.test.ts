import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLabelSelector, isEmptySelector, mapMatches, mapSelectorString, matchRequirements, parseLabelSelector, selectorMatches, selectorString, type LabelSelector } from './labels.ts';

const web = { app: 'web', tier: 'front', 'example.com/track': 'stable' };

test('a metav1.LabelSelector selects as LabelSelectorAsSelector does', () => {
  const cases: [string, unknown, boolean][] = [
    ['missing selects nothing', undefined, false],
    ['empty selects everything', {}, true],
    ['matchLabels', { matchLabels: { app: 'web' } }, true],
    ['matchLabels, other value', { matchLabels: { app: 'db' } }, false],
    ['In', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, true],
    ['NotIn', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, false],
    ['NotIn on a missing key', { matchExpressions: [{ key: 'x', operator: 'NotIn', values: ['a'] }] }, true],
    ['Exists', { matchExpressions: [{ key: 'example.com/track', operator: 'Exists' }] }, true],
    ['DoesNotExist', { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
    ['an unknown operator selects nothing', { matchExpressions: [{ key: 'app', operator: 'Like' }] }, false],
    ['not an object', 'app=web', false],
  ];
  for (const [name, sel, want] of cases) assert.equal(selectorMatches(sel, web), want, name);
});

test('selectors print as kubectl prints them: sorted by key, values sorted', () => {
  const sel: LabelSelector = {
    matchLabels: { z: '1', app: 'web' },
    matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }, { key: 'x', operator: 'Exists' }, { key: 'y', operator: 'DoesNotExist' }, { key: 'a.b', operator: 'NotIn', values: ['q'] }],
  };
  const cases: [string, string, string][] = [
    ['selectorString', selectorString(sel), 'a.b notin (q),app=web,tier in (a,b),x,!y,z=1'],
    ['selectorString of nothing', selectorString(undefined), ''],
    ['formatLabelSelector', formatLabelSelector(sel), 'a.b notin (q),app=web,tier in (a,b),x,!y,z=1'],
    ['formatLabelSelector of a missing one', formatLabelSelector(undefined), '<none>'],
    ['formatLabelSelector of an empty one', formatLabelSelector({}), ''],
    ['formatLabelSelector of a bad one', formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Like' }] }), '<invalid>'],
    ['mapSelectorString', mapSelectorString({ tier: 'db', app: 'web' }), 'app=web,tier=db'],
  ];
  for (const [name, got, want] of cases) assert.equal(got, want, name);
});

test('the query form parses as labels.Parse and matches', () => {
  const cases: [string, boolean][] = [
    ['app=web', true], ['app==web', true], ['app!=web', false], ['tier in (front, back)', true], ['tier notin (front)', false],
    ['example.com/track', true], ['!canary', true], ['app=web,!tier', false], ['', true],
  ];
  for (const [q, want] of cases) assert.equal(matchRequirements(parseLabelSelector(q), web), want, q);
  assert.throws(() => parseLabelSelector('a in b'), /unable to parse requirement/);
  assert.throws(() => parseLabelSelector(`${'k'.repeat(64)}=v`), /name part must be no more than 63 characters/);
});

test('plain maps (Service selectors, nodeSelectors) need every pair', () => {
  assert.equal(mapMatches({ app: 'web', tier: 'front' }, web), true);
  assert.equal(mapMatches({ app: 'web', tier: 'back' }, web), false);
  assert.equal(mapMatches({}, web), true);
  assert.equal(isEmptySelector({ matchLabels: {} }), true);
  assert.equal(isEmptySelector({ matchExpressions: [{ key: 'a', operator: 'Exists' }] }), false);
});
