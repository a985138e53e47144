// minikube's styled lines (pkg/minikube/style): an emoji and two spaces before the text on a
// terminal; without one, minikube's low-fi prefix: `* ` for a step, `! ` for a warning, and
// `  - ` for an option line (`    ▪ ` on a terminal).
import type { Output } from '../lib/output.ts';

const STYLES = {
  celebrate: ['🎉  ', '* '],
  meh: ['🙄  ', '* '],
  kubectl: ['💗  ', '* '],
  success: ['✅  ', '* '],
  tip: ['💡  ', '* '],
  sad: ['😿  ', '* '],
  warning: ['❗  ', '! '],
  verifying: ['🔎  ', '* '],
  addonEnable: ['🌟  ', '* '],
  addonDisable: ['🌑  ', '* '],
  option: ['    ▪ ', '  - '],
  running: ['🏃  ', '* '],
  stopping: ['✋  ', '* '],
} as const;

export type Style = keyof typeof STYLES;

export function styled(style: Style, text: string, tty: boolean): string {
  return `${STYLES[style][tty ? 0 : 1]}${text}\n`;
}

/** One styled line to stdout (stderr with `err`), with the emoji when that stream is a terminal. */
export function say(io: Output, style: Style, text: string, o: { err?: boolean } = {}): void {
  if (o.err) io.err(styled(style, text, io.errTty ?? false));
  else io.out(styled(style, text, io.tty ?? false));
}
