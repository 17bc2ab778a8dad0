/**
 * Renders a runbook section for one finding, as plain text (email, console, SNS) or Markdown
 * (PagerDuty details, chat, docs). Pure and total: an unknown section id, or a malformed finding,
 * falls back to the general section instead of throwing.
 */

import { runbookSectionId } from '../detectors/runbook-section-id';
import type { Finding } from '../detectors/types';
import { toCommandContext } from './commands';
import { getRunbookSection } from './registry';
import { GENERAL_SECTION } from './sections/general';
import type { RenderedRunbookSection, RunbookFormat, RunbookSection, Step } from './types';

/** The section a finding names, else its detector's section, else the general one. */
export const resolveRunbookSection = (finding: Finding): RunbookSection => {
  const named = typeof finding.runbook === 'string' ? getRunbookSection(finding.runbook) : undefined;
  if (named !== undefined) return named;
  try {
    return getRunbookSection(runbookSectionId(finding.detector, finding.trigger)) ?? GENERAL_SECTION;
  } catch {
    return GENERAL_SECTION;
  }
};

interface Parts {
  meaning: string;
  contract: readonly string[];
  firstTenMinutes: readonly Step[];
  likelyCauses: readonly string[];
  fix: readonly Step[];
  notes: readonly string[];
  verify: readonly Step[];
}

const partsOf = (section: RunbookSection, finding: Finding): Parts => {
  const context = toCommandContext(finding);
  return {
    meaning: section.meaning,
    contract: section.contract ?? [],
    firstTenMinutes: section.firstTenMinutes(finding, context),
    likelyCauses: section.likelyCauses,
    fix: section.fix(finding, context),
    notes: section.notes ?? [],
    verify: section.verify(finding, context),
  };
};

const HEADINGS = {
  meaning: 'What it means',
  contract: 'What Cognito expects',
  firstTenMinutes: 'First ten minutes',
  likelyCauses: 'Likely causes',
  fix: 'Fix',
  notes: 'Good to know',
  verify: 'How to verify the fix',
} as const;

const textSteps = (steps: readonly Step[]): string =>
  steps
    .map((step, index) => {
      const marker = `${index + 1}. `;
      const indent = ' '.repeat(marker.length + 2);
      return step.command === undefined
        ? `${marker}${step.text}`
        : `${marker}${step.text}\n${indent}${step.command}`;
    })
    .join('\n');

const textList = (items: readonly string[]): string => items.map((item) => `- ${item}`).join('\n');

const toText = (p: Parts): string =>
  [
    `${HEADINGS.meaning}\n${p.meaning}`,
    p.contract.length > 0 ? `${HEADINGS.contract}\n${textList(p.contract)}` : undefined,
    `${HEADINGS.firstTenMinutes}\n${textSteps(p.firstTenMinutes)}`,
    `${HEADINGS.likelyCauses}\n${textList(p.likelyCauses)}`,
    `${HEADINGS.fix}\n${textSteps(p.fix)}`,
    p.notes.length > 0 ? `${HEADINGS.notes}\n${textList(p.notes)}` : undefined,
    `${HEADINGS.verify}\n${textSteps(p.verify)}`,
  ]
    .filter((block): block is string => block !== undefined)
    .join('\n\n');

// A fence longer than any backtick run in the command, so a quoted value cannot close it.
const fence = (command: string): string => {
  const longest = Math.max(0, ...[...command.matchAll(/`+/g)].map((match) => match[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
};

const markdownSteps = (steps: readonly Step[]): string =>
  steps
    .map((step, index) => {
      const marker = `${index + 1}. `;
      if (step.command === undefined) return `${marker}${step.text}`;
      const indent = ' '.repeat(marker.length);
      const f = fence(step.command);
      return `${marker}${step.text}\n\n${indent}${f}sh\n${indent}${step.command}\n${indent}${f}`;
    })
    .join('\n\n');

const markdownBlock = (heading: string, body: string): string => `**${heading}**\n\n${body}`;

const toMarkdown = (p: Parts): string =>
  [
    markdownBlock(HEADINGS.meaning, p.meaning),
    p.contract.length > 0 ? markdownBlock(HEADINGS.contract, textList(p.contract)) : undefined,
    markdownBlock(HEADINGS.firstTenMinutes, markdownSteps(p.firstTenMinutes)),
    markdownBlock(HEADINGS.likelyCauses, textList(p.likelyCauses)),
    markdownBlock(HEADINGS.fix, markdownSteps(p.fix)),
    p.notes.length > 0 ? markdownBlock(HEADINGS.notes, textList(p.notes)) : undefined,
    markdownBlock(HEADINGS.verify, markdownSteps(p.verify)),
  ]
    .filter((block): block is string => block !== undefined)
    .join('\n\n');

const stringFieldsOnly = (finding: Finding): Finding => {
  const kept = Object.fromEntries(
    Object.entries(finding as unknown as Record<string, unknown>).filter(
      ([, value]) => typeof value === 'string',
    ),
  );
  return { ...kept, evidence: [] } as unknown as Finding;
};

/**
 * Renders the finding's runbook section with its commands filled in from the finding. Falls back
 * to the detector's section and then to the general section; never throws.
 */
export const renderRunbookSection = (finding: Finding, format: RunbookFormat): RenderedRunbookSection => {
  let section = resolveRunbookSection(finding);
  let parts: Parts;
  try {
    parts = partsOf(section, finding);
  } catch {
    // A malformed finding (e.g. parsed from foreign JSON) still gets a page with generic steps.
    section = GENERAL_SECTION;
    parts = partsOf(GENERAL_SECTION, stringFieldsOnly(finding));
  }
  return {
    id: section.id,
    title: section.title,
    body: format === 'markdown' ? toMarkdown(parts) : toText(parts),
  };
};
