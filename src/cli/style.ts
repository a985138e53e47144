// minikube's styled lines (pkg/minikube/style): an emoji and two spaces before the text on a
// terminal, the bare text otherwise (mk prints minikube's other lines without their emoji too).
import type { Output } from './io.ts';

const PREFIX = {
  celebrate: '🎉',
  meh: '🙄',
  kubectl: '💗',
  success: '✅',
  tip: '💡',
  sad: '😿',
  warning: '❗',
  running: '🏃',
  stopping: '✋',
} as const;

export type Style = keyof typeof PREFIX;

export function styled(style: Style, text: string, tty: boolean): string {
  return `${tty ? `${PREFIX[style]}  ` : ''}${text}\n`;
}

/** One styled line to stdout (stderr with `err`), with the emoji when that stream is a terminal. */
export function say(io: Output, style: Style, text: string, o: { err?: boolean } = {}): void {
  if (o.err) io.err(styled(style, text, io.errTty ?? false));
  else io.out(styled(style, text, io.tty ?? false));
}
