/**
 * The shape of a runbook section: data plus functions of the finding, so every command comes out
 * filled in with the pool, region, function and log group the finding names.
 */
import type { Finding } from '../detectors/types';
import type { CommandContext } from './commands';

/** One numbered step: what to do and why, and the command that does it when there is one. */
export interface Step {
  text: string;
  /** A shell command, already filled in and quoted; `<placeholders>` only for values the finding lacks. */
  command?: string;
}

/** One runbook section. Its `id` is the anchor in docs/runbook.md and the `runbook` field of findings. */
/**
 * One runbook section. Its step builders receive the finding and its command context (pool id,
 * client id, function name, region, ... as shell-safe values), built once per render.
 */
export interface RunbookSection {
  id: string;
  title: string;
  /** What the finding means, in a short paragraph. */
  meaning: string;
  /** What Cognito expects (for trigger contract sections): types, required keys, cross-field rules. */
  contract?: string[];
  /** Read-only steps that establish the facts before anyone changes anything. */
  firstTenMinutes(finding: Finding, context: CommandContext): Step[];
  likelyCauses: string[];
  /** Fix directions, including the rollback. */
  fix(finding: Finding, context: CommandContext): Step[];
  /** Background an engineer should know while working the incident (limits, retries, gotchas). */
  notes?: string[];
  /** How to prove the fix worked. */
  verify(finding: Finding, context: CommandContext): Step[];
}

/** Output formats of {@link renderRunbookSection}. */
export const RUNBOOK_FORMATS = ['text', 'markdown'] as const;
export type RunbookFormat = (typeof RUNBOOK_FORMATS)[number];

/** A section rendered for one finding. */
export interface RenderedRunbookSection {
  id: string;
  title: string;
  body: string;
}
