// The ink view of `mk start`'s steps: a heading, then one line per step — a spinner while it
// runs, ✓ or ✗ when done — with its time. Written with createElement (no JSX: mk runs its
// TypeScript with type stripping only). The only module besides index.ts that imports ink/react.
import { Box, Text, render, type Instance } from 'ink';
import { createElement as h, useEffect, useState } from 'react';
import { formatSeconds } from '../cluster/index.ts';
import type { ProgressModel, StepLine } from './model.ts';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

function Step({ model, line, frame }: { model: ProgressModel; line: StepLine; frame: number }) {
  const mark = line.state === 'done' ? h(Text, { color: 'green' }, '✓') : line.state === 'failed' ? h(Text, { color: 'red' }, '✗') : h(Text, { color: 'cyan' }, FRAMES[frame % FRAMES.length]);
  return h(Box, null, mark, h(Text, null, ` ${line.title}  `), h(Text, { dimColor: true }, formatSeconds(model.secondsOf(line))));
}

function Progress({ model, heading, subscribe }: { model: ProgressModel; heading: string; subscribe: (f: () => void) => () => void }) {
  const [, setTick] = useState(0);
  const [frame, setFrame] = useState(0);
  useEffect(() => subscribe(() => setTick((t) => t + 1)), [subscribe]);
  useEffect(() => {
    const t = setInterval(() => setFrame((f) => f + 1), 100);
    return () => clearInterval(t);
  }, []);
  return h(Box, { flexDirection: 'column' },
    h(Text, { bold: true }, heading),
    ...model.lines.map((l, i) => (l.kind === 'step' ? h(Step, { key: i, model, line: l, frame }) : h(Text, { key: i, color: 'yellow' }, l.text))));
}

export function renderProgress(model: ProgressModel, heading: string, subscribe: (f: () => void) => () => void): Instance {
  return render(h(Progress, { model, heading, subscribe }), { exitOnCtrlC: false, patchConsole: false });
}
