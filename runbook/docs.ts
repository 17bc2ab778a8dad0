/**
 * Builds docs/runbook.md from the sections. Pure, so a test can prove the committed file is current;
 * `runbook/write-docs.ts` writes it.
 */

import { TRIGGERS, type TriggerName } from '../contracts/triggers';
import { runbookSectionId } from '../detectors/runbook-section-id';
import { DETECTOR_IDS, type DetectorId, type Finding } from '../detectors/types';
import { listRunbookSections } from './registry';
import { renderRunbookSection } from './render';

/** Path of the generated file, relative to the project root. */
export const RUNBOOK_DOCS_PATH = 'docs/runbook.md';

const triggerOf = (id: string): TriggerName | undefined =>
  TRIGGERS.find((trigger) => runbookSectionId('trigger-response-invalid', trigger) === id);

const isDetectorId = (id: string): id is DetectorId => (DETECTOR_IDS as readonly string[]).includes(id);

/** A finding with nothing filled in, so the docs show placeholders where alerts show values. */
const templateFinding = (id: string): Finding => {
  const trigger = triggerOf(id);
  return {
    detector: trigger !== undefined ? 'trigger-response-invalid' : isDetectorId(id) ? id : 'trigger-error',
    severity: 'error',
    title: '',
    evidence: [],
    dedupKey: '',
    runbook: id,
    ...(trigger === undefined ? {} : { trigger }),
  };
};

/** The full text of docs/runbook.md. */
export const renderRunbookDocs = (): string => {
  const sections = listRunbookSections();
  const contents = sections.map((section) => `- [\`${section.id}\`](#${section.id}): ${section.title}`);
  const bodies = sections.map((section) => {
    const { body } = renderRunbookSection(templateFinding(section.id), 'markdown');
    return `## <a id="${section.id}"></a>${section.title}\n\n${body}`;
  });
  return `${[
    '# cognito-sentinel runbook',
    '<!-- Generated from runbook/sections by `npm run docs`. Do not edit by hand. -->',
    'One section per detector, and one per trigger for responses that break Cognito’s contract. Each heading’s anchor is the section id that findings carry in their `runbook` field. Pages and alert reports carry the same section with the commands already filled in from the finding (pool id, region, app client, function, log group, request id); here those values are shown as placeholders such as `<user-pool-id>`.',
    'Sections:',
  ].join('\n\n')}\n\n${contents.join('\n')}\n\n${bodies.join('\n\n')}\n`;
};
