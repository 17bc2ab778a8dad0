/**
 * `cognito-sentinel demo` (what `npm start` runs): the whole monitor, live, on an embedded Cognito.
 *
 * Starts cognito-local on a free loopback port with its triggers served by the local Lambda Invoke
 * API (real handlers wrapped in the trigger-contract middleware), creates a pool, app client and
 * canary user, then plays a scenario: healthy cycles with sign-up traffic, a bad change, the page,
 * the fix and the resolve. Trigger invocations' log lines go to the real trigger-log handler as
 * real subscription payloads; the real canary handler runs every cycle; alerts go through the real
 * incident pipeline to the terminal and, with --report-dir, to files.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Alert, AlertSink } from '../alerts/types';
import { CANARY_USERNAME, type DemoEmulator, startDemoEmulator } from '../demo/emulator';
import { createDemoMonitor, type DemoMonitor } from '../demo/monitor';
import { type Colors, createColors, phaseHeader, renderPage, useColor } from '../demo/output';
import { recordDeliveries } from '../demo/report-dir';
import {
  DEFAULT_SCENARIO,
  findScenario,
  NOT_REPRODUCIBLE,
  SCENARIOS,
  type Scenario,
} from '../demo/scenarios';
import { signUpShopper } from '../demo/traffic';
import type { DetectorId } from '../detectors/types';
import { type CommandRun, parseCommandArgs, printUsage } from './command-args';
import { EXIT, UsageError } from './usage-error';

const DEFAULT_CYCLES = 12;
/**
 * The shortest story: 1 healthy cycle, 2 broken ones (the page) and 2 after the fix (a canary
 * incident resolves after 2 passing runs in a row).
 */
export const MIN_CYCLES = 5;
const DEFAULT_INTERVAL_MS = 1_500;

export const DEMO_USAGE = `Usage: cognito-sentinel demo [--scenario NAME] [--cycles N] [--report-dir DIR] [--interval-ms MS]

Runs the whole monitor live on an embedded Cognito emulator (cognito-local, loopback only, no AWS
account): canary cycles, sign-up traffic through real trigger functions, then an incident, the page
with its runbook section, the fix, and the resolve. Ctrl-C stops it and removes the emulator.

Options:
  --scenario NAME     ${SCENARIOS.map((scenario) => scenario.name).join(', ')}
                      (default ${DEFAULT_SCENARIO}; 'seed' is an alias)
  --cycles N          run exactly N canary cycles (at least ${MIN_CYCLES}); without it the demo stops as soon
                      as the story is complete, after at most ${DEFAULT_CYCLES}
  --report-dir DIR    write each page and resolve as Markdown, and every delivery to DIR/alerts.jsonl
  --interval-ms MS    pause between cycles (default ${DEFAULT_INTERVAL_MS})
  -h, --help          show this help

Exit codes: 0 the scenario played out as expected (one page and one resolve per expected incident,
no other page), 1 it did not, 2 bad usage.`;

interface Plan {
  healthy: number;
  broken: number;
  /** Most cycles the fix phase may take before the demo gives up on the resolves. */
  fixing: number;
}

/** Splits the cycle budget: a short healthy start, enough broken cycles to page, the rest to resolve. */
export const planCycles = (cycles: number): Plan => {
  const healthy = cycles >= 8 ? 2 : 1;
  const broken = cycles >= 10 ? 3 : 2;
  return { healthy, broken, fixing: Math.max(0, cycles - healthy - broken) };
};

interface Tally {
  triggers: Map<DetectorId, number>;
  resolves: Map<DetectorId, number>;
}

const bump = (map: Map<DetectorId, number>, key: DetectorId) => map.set(key, (map.get(key) ?? 0) + 1);

/** Whether every expected incident paged once and resolved once, with no other page. */
export const verdict = (scenario: Scenario, tally: Tally): { ok: boolean; problems: string[] } => {
  const problems: string[] = [];
  for (const detector of scenario.expectedPages) {
    const triggers = tally.triggers.get(detector) ?? 0;
    const resolves = tally.resolves.get(detector) ?? 0;
    if (triggers !== 1) problems.push(`${detector}: expected exactly one page, saw ${triggers}`);
    if (resolves !== 1) problems.push(`${detector}: expected exactly one resolve, saw ${resolves}`);
  }
  for (const [detector, count] of tally.triggers) {
    if (!scenario.expectedPages.includes(detector))
      problems.push(`unexpected page from ${detector} (${count})`);
  }
  return { ok: problems.length === 0, problems };
};

const positiveInt = (name: string, text: string | undefined, fallback: number, min: number): number => {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min)
    throw new UsageError(`${name} "${text}": expected a whole number of at least ${min}`);
  return value;
};

export const demo: CommandRun = async (argv, io) => {
  const { values } = parseCommandArgs(argv, {
    scenario: { type: 'string' },
    cycles: { type: 'string' },
    'report-dir': { type: 'string' },
    'interval-ms': { type: 'string' },
  });
  if (values.help) return printUsage(io, DEMO_USAGE);
  const scenarioName = values.scenario ?? DEFAULT_SCENARIO;
  const scenario = findScenario(scenarioName);
  if (!scenario) {
    const why = NOT_REPRODUCIBLE[scenarioName];
    throw new UsageError(
      why
        ? `--scenario "${scenarioName}": ${why}`
        : `--scenario "${scenarioName}": expected one of ${SCENARIOS.map((s) => s.name).join(', ')}`,
    );
  }
  if (
    values.cycles !== undefined &&
    Number.isInteger(Number(values.cycles)) &&
    Number(values.cycles) < MIN_CYCLES
  )
    throw new UsageError(
      `--cycles "${values.cycles}": a story needs at least ${MIN_CYCLES} cycles: 1 healthy, 2 broken (the page), 2 after the fix (an incident resolves after 2 passing runs)`,
    );
  const cycles = positiveInt('--cycles', values.cycles, DEFAULT_CYCLES, MIN_CYCLES);
  // An explicit --cycles runs them all (the cycles after the resolve show it stays quiet).
  const stopWhenComplete = values.cycles === undefined;
  const intervalMs = positiveInt('--interval-ms', values['interval-ms'], DEFAULT_INTERVAL_MS, 100);
  const c = createColors(useColor(io.isTty, io.env));
  const plan = planCycles(cycles);

  const startedAt = performance.now();
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let emulator: DemoEmulator | undefined;
  try {
    io.stdout(`${c.bold('cognito-sentinel demo')}: ${scenario.summary}\n`);
    io.stdout(
      c.dim('Starting the embedded Cognito (cognito-local) and the local Lambda Invoke API on loopback...\n'),
    );
    emulator = await startDemoEmulator();
    io.stdout(
      `  pool ${c.bold(emulator.userPoolId)}, app client ${emulator.clientId}, canary user ${CANARY_USERNAME}\n` +
        `  triggers: PreSignUp → demo-presignup, PreTokenGeneration → demo-pretoken (wrapped in triggerContract)\n` +
        `  Cognito at ${emulator.endpoint}, data in ${emulator.cognito.dataDir}\n`,
    );
    if (scenario.emulatorNote) io.stdout(c.dim(`  note: ${scenario.emulatorNote}\n`));

    const tally: Tally = { triggers: new Map(), resolves: new Map() };
    // The demo's console sink: it prints the page framed for a terminal, and counts what was sent.
    const terminal: AlertSink = {
      name: 'console',
      async send(alert: Alert) {
        if (alert.action === 'trigger') bump(tally.triggers, alert.detector);
        if (alert.action === 'resolve') bump(tally.resolves, alert.detector);
        io.stdout(renderPage(c, alert));
      },
    };
    const sink = values['report-dir'] ? recordDeliveries(terminal, values['report-dir']) : terminal;
    const monitor = createDemoMonitor({
      emulator,
      sinks: [sink],
      quietWindowMs: scenario.quietWindowMs ?? Math.round(intervalMs * 1.5),
    });
    const started = emulator;
    emulator.invoke.onLogs((batch) => monitor.feed(batch));

    // In AWS, CloudTrail's record of the change reaches the config audit through EventBridge within seconds.
    const deliverChange = async (phase: 'break' | 'fix') => {
      const event = scenario.changeEvent?.(started, phase);
      if (event === undefined) return;
      const run = await monitor.runAudit(event);
      io.stdout(
        c.dim(
          `  CloudTrail → EventBridge → config audit: ${run.error ? `error: ${run.error.message}` : `${run.result?.findings ?? 0} finding${run.result?.findings === 1 ? '' : 's'}`}\n`,
        ),
      );
    };

    let cycle = 0;
    const runCycle = async () => {
      cycle += 1;
      const signUps = await Promise.all(
        Array.from({ length: scenario.signUpsPerCycle }, () =>
          signUpShopper(started.client, started.userPoolId, started.clientId),
        ),
      );
      const canary = await monitor.runCanary();
      const logs = await monitor.drain();
      const audit = scenario.audit ? await monitor.runAudit() : undefined;
      await monitor.sweep();
      io.stdout(statusLine(c, cycle, signUps, canary, logs, audit));
    };

    const phases: { title: string; cycles: number; before?: () => Promise<void>; until?: () => boolean }[] = [
      { title: 'Healthy: sign-ups, sign-ins and the canary all pass', cycles: plan.healthy },
      {
        title: scenario.breakTitle,
        cycles: plan.broken,
        before: async () => {
          await scenario.breakIt(started);
          await deliverChange('break');
        },
      },
      {
        title: scenario.fixTitle,
        cycles: plan.fixing,
        before: async () => {
          await scenario.fixIt(started);
          await deliverChange('fix');
        },
        until: () =>
          stopWhenComplete &&
          scenario.expectedPages.every((detector) => (tally.resolves.get(detector) ?? 0) > 0),
      },
    ];
    for (const [index, phase] of phases.entries()) {
      if (abort.signal.aborted || phase.cycles === 0) break;
      io.stdout(phaseHeader(c, index + 1, phase.title));
      await phase.before?.();
      for (let n = 0; n < phase.cycles && !abort.signal.aborted; n++) {
        await runCycle();
        if (phase.until?.()) break;
        await sleep(intervalMs, undefined, { signal: abort.signal }).catch(() => undefined);
      }
    }
    if (abort.signal.aborted) {
      io.stdout(c.yellow('\nStopped. Removing the emulator and its temporary files.\n'));
      return 130;
    }

    const outcome = verdict(scenario, tally);
    const took = c.dim(` (${cycle} cycles in ${((performance.now() - startedAt) / 1000).toFixed(1)} s)`);
    io.stdout(
      `\n${outcome.ok ? c.green(c.bold('✔ The story played out as expected')) : c.red(c.bold('✘ The story did not play out as expected'))}${took}\n`,
    );
    for (const problem of outcome.problems) io.stdout(`  - ${problem}\n`);
    if (values['report-dir'])
      io.stdout(c.dim(`Reports and alerts.jsonl written to ${values['report-dir']}\n`));
    io.stdout(
      c.dim(
        `\nMore scenarios: npm start -- --scenario <${SCENARIOS.map((s) => s.name).join('|')}>\n` +
          'Scan your own logs: npx cognito-sentinel scan-logs logs.json --log-group /aws/lambda/<fn> --trigger-map /aws/lambda/<fn>=PreSignUp\n',
      ),
    );
    return outcome.ok ? EXIT.ok : EXIT.found;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await emulator?.stop();
  }
};

const statusLine = (
  c: Colors,
  cycle: number,
  signUps: readonly { ok: boolean; error?: string }[],
  canary: Awaited<ReturnType<DemoMonitor['runCanary']>>,
  logs: Awaited<ReturnType<DemoMonitor['drain']>>,
  audit?: Awaited<ReturnType<DemoMonitor['runAudit']>>,
): string => {
  const ok = signUps.filter((outcome) => outcome.ok).length;
  const failed = signUps.find((outcome) => !outcome.ok)?.error;
  const signUpText =
    ok === signUps.length
      ? c.green(`sign-ups ${ok}/${signUps.length}`)
      : c.red(`sign-ups ${ok}/${signUps.length} (${failed})`);
  const canaryText = canary.error
    ? c.red(`canary error: ${canary.error.message}`)
    : (canary.result?.findings ?? 0) > 0
      ? c.red(`canary ✘ ${canary.result?.findings} finding${canary.result?.findings === 1 ? '' : 's'}`)
      : c.green(`canary ✔ ${canary.result?.durationMs ?? 0} ms`);
  const findingsText = `${logs.findings} finding${logs.findings === 1 ? '' : 's'}`;
  const logText = `logs ${logs.lines} lines → ${logs.findings > 0 ? c.red(findingsText) : findingsText}`;
  const errors =
    logs.errors.length > 0 ? c.red(`  (${logs.errors.length} batch errors: ${logs.errors[0]?.message})`) : '';
  const auditText =
    audit === undefined
      ? ''
      : audit.error
        ? `  ${c.red(`audit error: ${audit.error.message}`)}`
        : `  ${(audit.result?.findings ?? 0) > 0 ? c.red(`audit ✘ ${audit.result?.findings}`) : c.green('audit ✔')}${(audit.result?.notes ?? 0) > 0 ? c.dim(` (${audit.result?.notes} check${audit.result?.notes === 1 ? '' : 's'} not run)`) : ''}`;
  return `  ${c.dim(`cycle ${String(cycle).padStart(2)}`)}  ${signUpText}  ${canaryText}  ${logText}${auditText}${errors}\n`;
};

/** The `demo` command, as the CLI loads it. */
export const COMMAND = { run: demo, usage: DEMO_USAGE };
