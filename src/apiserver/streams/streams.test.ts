// Protocol-independent parts of exec: the query, the status documents, resize messages, and the
// protocol negotiation helpers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../../api/status.ts';
import { errorStatus, statusForExit } from './exec-status.ts';
import { expectedStreams } from './exec-spdy.ts';
import { attachRequestFromQuery, execRequestFromQuery } from './query.ts';
import { ResizeDecoder } from './resize.ts';
import { headerValues, negotiate } from './upgrade.ts';

test('exec query → ExecRequest, with the kubelet refusals', () => {
  const q = (s: string) => new URLSearchParams(s);
  assert.deepEqual(execRequestFromQuery('default', 'p', q('command=sh&command=-c&command=echo+hi&container=c&stdin=true&stdout=true&stderr=true')), {
    namespace: 'default',
    pod: 'p',
    container: 'c',
    command: ['sh', '-c', 'echo hi'],
    stdin: true,
    stdout: true,
    stderr: true,
    tty: false,
  });
  assert.equal(execRequestFromQuery('d', 'p', q('command=sh&stdout=true&stderr=true&tty=true')).stderr, false, 'a TTY has no separate stderr');
  const cases: [string, string][] = [
    ['stdout=true', 'you must specify at least one command for the container'],
    ['command=ls', 'you must specify at least 1 of stdin, stdout, stderr'],
  ];
  for (const [query, message] of cases) {
    assert.throws(() => execRequestFromQuery('d', 'p', q(query)), (e: unknown) => e instanceof ApiError && e.code === 400 && e.message === message);
  }
});

test('attach query → AttachRequest: no command; the kubelet refusal; a TTY has no stderr', () => {
  const q = (s: string) => new URLSearchParams(s);
  assert.deepEqual(attachRequestFromQuery('default', 'p', q('container=c&stdin=true&stdout=true&stderr=true')), {
    namespace: 'default', pod: 'p', container: 'c', stdin: true, stdout: true, stderr: true, tty: false,
  });
  assert.deepEqual(attachRequestFromQuery('d', 'p', q('stdin=true&stdout=true&stderr=true&tty=true')), { namespace: 'd', pod: 'p', stdin: true, stdout: true, stderr: false, tty: true });
  assert.throws(() => attachRequestFromQuery('d', 'p', q('container=c&tty=true')), (e: unknown) => e instanceof ApiError && e.code === 400 && e.message === 'you must specify at least 1 of stdin, stdout, stderr');
});

test('the streams kubectl opens over SPDY for each request shape', () => {
  const base = { namespace: 'd', pod: 'p', command: ['sh'] };
  const cases: [Partial<Record<'stdin' | 'stdout' | 'stderr' | 'tty', boolean>>, string[]][] = [
    [{ stdout: true, stderr: true }, ['error', 'stdout', 'stderr']],
    [{ stdin: true, stdout: true, stderr: true }, ['error', 'stdin', 'stdout', 'stderr']],
    [{ stdin: true, stdout: true, tty: true }, ['error', 'stdin', 'stdout', 'resize']],
    [{ stdin: true }, ['error', 'stdin']],
  ];
  for (const [flags, want] of cases) {
    assert.deepEqual(expectedStreams({ ...base, stdin: false, stdout: false, stderr: false, tty: false, ...flags }), want);
  }
});

test('status documents on the error channel, as client-go decodes them', () => {
  assert.deepEqual(statusForExit(0), { metadata: {}, status: 'Success' });
  assert.deepEqual(statusForExit(3), {
    metadata: {},
    status: 'Failure',
    message: 'command terminated with non-zero exit code: exit status 3',
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: '3' }] },
  });
  assert.deepEqual(errorStatus(new Error('exec: "bash": executable file not found in $PATH')), {
    metadata: {},
    status: 'Failure',
    message: 'Internal error occurred: exec: "bash": executable file not found in $PATH',
    reason: 'InternalError',
    code: 500,
    details: { causes: [{ message: 'exec: "bash": executable file not found in $PATH' }] },
  });
  assert.deepEqual(errorStatus(new ApiError(400, 'BadRequest', 'container x is not valid for pod p')), {
    metadata: {},
    status: 'Failure',
    message: 'container x is not valid for pod p',
    reason: 'BadRequest',
    code: 400,
  });
});

test('resize messages: whole, joined and split JSON objects', () => {
  const d = new ResizeDecoder();
  assert.deepEqual(d.push('{"Width":80,"Height":24}'), [{ width: 80, height: 24 }]);
  assert.deepEqual(d.push('{"Width":100,"Height":30}{"Width":1'), [{ width: 100, height: 30 }]);
  assert.deepEqual(d.push('20,"Height":40}\n'), [{ width: 120, height: 40 }]);
  assert.deepEqual(d.push('{"Width":"x"}'), []);
  assert.deepEqual(d.push('{"Width":5,"Height":6}'), [{ width: 5, height: 6 }]);
});

test('protocol offers: repeated and comma-separated headers; our preference wins', () => {
  const req = { rawHeaders: ['X-Stream-Protocol-Version', 'v4.channel.k8s.io', 'x-stream-protocol-version', 'v3.channel.k8s.io, v2.channel.k8s.io', 'Host', 'h'] } as unknown as IncomingMessage;
  const offered = headerValues(req, 'x-stream-protocol-version');
  assert.deepEqual(offered, ['v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io']);
  assert.equal(negotiate(offered, ['v5.channel.k8s.io', 'v4.channel.k8s.io']), 'v4.channel.k8s.io');
  assert.equal(negotiate(['v5.channel.k8s.io', 'v4.channel.k8s.io'], ['v4.channel.k8s.io', 'v5.channel.k8s.io']), 'v4.channel.k8s.io');
  assert.equal(negotiate(['channel.k8s.io'], ['v4.channel.k8s.io']), null);
});
