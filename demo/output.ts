/**
 * How the demo talks to a person: phase headers, one status line per cycle, pages framed so they
 * stand out. Colour on a terminal; none when piped, with NO_COLOR, or on TERM=dumb.
 */
import pc from 'picocolors';
import type { Alert } from '../alerts/types';

export type Colors = ReturnType<typeof pc.createColors>;

export const useColor = (isTty: boolean, env: Readonly<Record<string, string | undefined>>): boolean => {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return isTty && env.TERM !== 'dumb';
};

export const createColors = (enabled: boolean): Colors => pc.createColors(enabled);

const RULE_WIDTH = 78;

export const phaseHeader = (c: Colors, index: number, title: string): string =>
  `\n${c.bold(c.cyan(`━━ ${index}. ${title} `))}${c.cyan('━'.repeat(Math.max(0, RULE_WIDTH - title.length - 7)))}\n`;

/** The page as the on-call engineer reads it. */
export const renderPage = (c: Colors, alert: Alert): string => {
  if (alert.action === 'resolve') {
    return `${c.green(c.bold('  ✔ RESOLVED'))} ${alert.title}\n${c.dim(`    incident ${alert.dedupKey}`)}\n`;
  }
  const label = alert.action === 'remind' ? 'STILL FAILING' : `PAGE (${alert.severity.toUpperCase()})`;
  const top = `${c.red(c.bold(`  ▶ ${label}`))} ${c.bold(alert.title)}`;
  const body = alert.report
    .trimEnd()
    .split('\n')
    .map((line) => `${c.red('  │')} ${line}`)
    .join('\n');
  return `${top}\n${body}\n${c.red(`  └${'─'.repeat(RULE_WIDTH - 3)}`)}\n`;
};
