/**
 * Collapsing identical findings within one batch. During an incident every invocation breaks the
 * same way: a 1 MB log batch holds hundreds of findings that differ only in their request id,
 * time and excerpt, and end as one alert. With `collapse` set in the detector context, findings
 * with the same dedup key, severity and title become one finding that counts them
 * (`occurrences`, `firstSeen`, `lastSeen`), and its evidence excerpts, which are the expensive part
 * (every excerpt redacts its whole log line), are built for the first few occurrences only.
 * Pure.
 */
import type { Finding } from './types';

/** Occurrences of one collapsed finding whose evidence is built and kept (distinct lines only). */
export const MAX_COLLAPSED_EXCERPTS = 3;

/** A finding without its evidence: what decides whether it collapses into another. */
export type FindingHead = Omit<Finding, 'evidence'>;

/** Receives a detector's findings; evidence is built only when it is kept. */
export interface FindingCollector {
  add(head: FindingHead, evidence: () => string[]): void;
  /**
   * Counts one more occurrence of a finding already collected with this dedup key, severity and
   * title, as `add` would, without the caller building its head; `evidence` is built only while
   * the finding keeps excerpts. False when there is no such finding (or nothing collapses): `add` it.
   */
  repeat(
    dedupKey: string,
    severity: Finding['severity'],
    title: string,
    timestamp: string | undefined,
    evidence: () => string[],
  ): boolean;
  /** The findings, in first-seen order. */
  findings(): Finding[];
}

interface Entry {
  finding: Finding;
  occurrences: number;
  firstSeen?: string;
  lastSeen?: string;
  /** Occurrences whose evidence was built. */
  built: number;
  /** Both firstSeen and lastSeen are set and canonical: checked when they change, not per occurrence. */
  canonical: boolean;
}

/**
 * `2026-01-01T09:00:00.000Z`: the shape every log origin's time has. Two such strings order as
 * their times do, so comparing them needs no Date.parse (which cost as much as the rest of a
 * collapsed occurrence).
 */
const isCanonicalIso = (value: string): boolean =>
  value.length === 24 && value.charCodeAt(23) === 90 && value.charCodeAt(10) === 84;

/** Negative when `a` is earlier than `b`, positive when later, 0 when equal or either is unreadable. */
const compareTimes = (a: string, b: string): number => {
  if (isCanonicalIso(a) && isCanonicalIso(b)) return a < b ? -1 : a > b ? 1 : 0;
  const difference = Date.parse(a) - Date.parse(b);
  return Number.isNaN(difference) ? 0 : difference;
};

const isCanonicalPair = ({ firstSeen, lastSeen }: Entry): boolean =>
  firstSeen !== undefined && lastSeen !== undefined && isCanonicalIso(firstSeen) && isCanonicalIso(lastSeen);

const earlier = (a: string | undefined, b: string | undefined) =>
  a === undefined ? b : b === undefined ? a : compareTimes(b, a) < 0 ? b : a;
const later = (a: string | undefined, b: string | undefined) =>
  a === undefined ? b : b === undefined ? a : compareTimes(b, a) > 0 ? b : a;

/**
 * A collector that keeps every finding as it is (`collapse` false), or collapses identical ones:
 * same dedup key, severity and title. A finding seen once comes out exactly as without collapsing.
 */
export const createFindingCollector = (collapse = false): FindingCollector => {
  if (!collapse) {
    const findings: Finding[] = [];
    return {
      add: (head, evidence) => {
        findings.push({ ...head, evidence: evidence() });
      },
      repeat: () => false,
      findings: () => findings,
    };
  }
  // In first-seen order; looked up by dedup key, then by severity and title (a handful per key),
  // so no per-occurrence key string is built and hashed.
  const entries: Entry[] = [];
  const byDedupKey = new Map<string, Entry[]>();
  const find = (sameKey: Entry[] | undefined, severity: string, title: string): Entry | undefined => {
    if (sameKey === undefined) return undefined;
    for (const candidate of sameKey)
      if (candidate.finding.severity === severity && candidate.finding.title === title) return candidate;
    return undefined;
  };
  const count = (entry: Entry, timestamp: string | undefined, evidence: () => string[]): void => {
    entry.occurrences += 1;
    if (timestamp !== undefined && entry.canonical && isCanonicalIso(timestamp)) {
      // The usual case, every time in the canonical form: ordered as strings, each checked once.
      if (timestamp < (entry.firstSeen as string)) entry.firstSeen = timestamp;
      if (timestamp > (entry.lastSeen as string)) entry.lastSeen = timestamp;
    } else {
      entry.firstSeen = earlier(entry.firstSeen, timestamp);
      entry.lastSeen = later(entry.lastSeen, timestamp);
      entry.canonical = isCanonicalPair(entry);
    }
    if (entry.built >= MAX_COLLAPSED_EXCERPTS) return;
    entry.built += 1;
    for (const line of evidence())
      if (!entry.finding.evidence.includes(line)) entry.finding.evidence.push(line);
  };
  // The entry the last occurrence went to: during an incident the next one goes there too, found
  // by comparing the caller's (shared) strings instead of hashing the dedup key again.
  let last: Entry | undefined;
  return {
    repeat: (dedupKey, severity, title, timestamp, evidence) => {
      let entry = last;
      if (
        entry === undefined ||
        entry.finding.dedupKey !== dedupKey ||
        entry.finding.severity !== severity ||
        entry.finding.title !== title
      ) {
        entry = find(byDedupKey.get(dedupKey), severity, title);
        if (entry === undefined) return false;
        last = entry;
      }
      count(entry, timestamp, evidence);
      return true;
    },
    add: (head, evidence) => {
      let sameKey = byDedupKey.get(head.dedupKey);
      if (sameKey === undefined) {
        sameKey = [];
        byDedupKey.set(head.dedupKey, sameKey);
      }
      const entry = find(sameKey, head.severity, head.title);
      if (entry === undefined) {
        const created: Entry = {
          finding: { ...head, evidence: evidence() },
          occurrences: 1,
          ...(head.timestamp === undefined ? {} : { firstSeen: head.timestamp, lastSeen: head.timestamp }),
          built: 1,
          canonical: false,
        };
        created.canonical = isCanonicalPair(created);
        sameKey.push(created);
        entries.push(created);
        return;
      }
      count(entry, head.timestamp, evidence);
    },
    findings: () =>
      entries.map(({ finding, occurrences, firstSeen, lastSeen }) =>
        occurrences === 1
          ? finding
          : {
              ...finding,
              occurrences,
              ...(firstSeen === undefined ? {} : { firstSeen }),
              ...(lastSeen === undefined ? {} : { lastSeen }),
            },
      ),
  };
};
