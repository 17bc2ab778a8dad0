/**
 * What the canary handler and `check` do with a run: the observations go through the canary
 * detectors (findings) and `toCanaryPassed` (checks that passed). Runner tests read results the
 * same way, so they test the path production takes.
 */
import type { CanaryRunResult } from '../../canary/runner';
import { runCanaryDetectors, toCanaryPassed } from '../../detectors';
import { DEFAULT_DETECTOR_CONFIG, type Finding } from '../../detectors/types';

/** A run with its findings and passed checks, as the handler computes them. */
export type DetectedRun = CanaryRunResult & { findings: Finding[]; passed: string[] };

/** Runs the canary detectors over a run's observations (awaits the run when given a promise). */
export const detected = async (
  run: CanaryRunResult | Promise<CanaryRunResult>,
  now: Date = new Date(),
): Promise<DetectedRun> => {
  const result = await run;
  return {
    ...result,
    findings: runCanaryDetectors(result.observations, { config: DEFAULT_DETECTOR_CONFIG, now }),
    passed: toCanaryPassed(result.observations),
  };
};
