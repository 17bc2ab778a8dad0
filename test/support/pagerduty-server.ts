/**
 * A local stand-in for PagerDuty Events API v2 (`POST /v2/enqueue`), a real node:http server on a
 * free loopback port. It checks the event contract the way PagerDuty does (docs/alerting.md)
 * and answers like it:
 * - 202 `{"status":"success","message":"Event processed","dedup_key":...}` for a valid event;
 * - 400 `{"status":"invalid event","message":"Event object is invalid","errors":[...]}` when
 *   `routing_key` is not 32 characters, `event_action` is unknown, `dedup_key` is missing (ack,
 *   resolve) or over 255 characters, `payload.summary` is missing or over 1024 characters,
 *   `payload.source` is missing, `payload.severity` is not critical|error|warning|info,
 *   `payload.timestamp` is not ISO 8601, `links`/`images` are malformed, or the body is 512 KB
 *   or more.
 * - `POST /v2/change/enqueue` (Change Events): 202 `{"message":"Change event processed","status":"success"}`
 *   for a valid event (`routing_key` of 32 characters, `payload.summary` present and at most 1024
 *   characters, `payload.timestamp` ISO 8601 when given, `links` with an `href`), else 400.
 *   Accepted ones are in `changes`; they never open an alert.
 * Tests script it: `respondWith('500', '500', '202')` queues answers (then `mode`), `mode` is the
 * standing answer (`'202'`, `'400'`, `'429'`, `'500'`, `'hang'`). `received` holds every
 * request; `alerts` models PagerDuty's alerts per dedup key (open/resolved, triggers taken).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll } from 'vitest';

export const PD_MODES = ['202', '400', '429', '500', 'hang'] as const;
export type PagerDutyMode = (typeof PD_MODES)[number];

const SEVERITIES = ['critical', 'error', 'warning', 'info'];
const ACTIONS = ['trigger', 'acknowledge', 'resolve'];
const MAX_BODY_BYTES = 512 * 1024;

/** One request as the server saw it. */
export interface ReceivedEvent {
  /** Parsed JSON body, or undefined when it was not JSON. */
  body: Record<string, unknown> | undefined;
  bytes: number;
  /** The status it answered (undefined while hanging). */
  status?: number;
  errors: string[];
}

/** PagerDuty's view of one dedup key. */
export interface ModelAlert {
  status: 'triggered' | 'resolved';
  /** Trigger events accepted while the alert was open (the first opens it). */
  triggers: number;
  /** How many times a trigger opened a new alert under this key. */
  opened: number;
  resolves: number;
  lastEvent: Record<string, unknown>;
}

export interface PagerDutyServer {
  /** `http://127.0.0.1:<port>/v2/enqueue` */
  endpoint: string;
  received: ReceivedEvent[];
  alerts: Map<string, ModelAlert>;
  /** The standing answer once the queue is empty. */
  mode: PagerDutyMode;
  /** Queues answers for the next requests, in order. */
  respondWith(...modes: PagerDutyMode[]): void;
  /** Accepted change events (`/v2/change/enqueue`), in order. */
  changes: Record<string, unknown>[];
  /** Accepted events (202) with this action. */
  accepted(action?: string): Record<string, unknown>[];
  /** Forgets requests, alerts and the queue; mode back to 202. */
  reset(): void;
  close(): Promise<void>;
}

const isIso8601 = (text: string): boolean =>
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(text) &&
  Number.isFinite(Date.parse(text));

/** An optional `timestamp` must be ISO 8601. */
const timestampErrors = (payload: Record<string, unknown>, errors: string[]): void => {
  if (
    payload.timestamp !== undefined &&
    (typeof payload.timestamp !== 'string' || !isIso8601(payload.timestamp))
  )
    errors.push("'timestamp' is invalid (must be ISO 8601)");
};

/** Optional `custom_details` must be an object. */
const customDetailsErrors = (payload: Record<string, unknown>, errors: string[]): void => {
  if (
    payload.custom_details !== undefined &&
    (typeof payload.custom_details !== 'object' || payload.custom_details === null)
  )
    errors.push("'custom_details' must be an object");
};

/** Optional `links` must be an array of entries with an `href`. */
const linksErrors = (event: Record<string, unknown>, errors: string[]): void => {
  if (event.links === undefined) return;
  if (!Array.isArray(event.links)) errors.push("'links' must be an array");
  else if (event.links.some((link) => typeof (link as { href?: unknown })?.href !== 'string'))
    errors.push("'links' entries need an 'href'");
};

/** The problems PagerDuty would report for this event (empty: valid). */
export const validatePagerDutyEvent = (body: unknown, bytes: number): string[] => {
  const errors: string[] = [];
  if (bytes >= MAX_BODY_BYTES) errors.push(`Event is too large (${bytes} bytes; the limit is 512 KB)`);
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return [...errors, 'Event must be a JSON object'];
  const event = body as Record<string, unknown>;
  if (typeof event.routing_key !== 'string' || event.routing_key.length !== 32)
    errors.push("'routing_key' is invalid (must be a 32-character integration key)");
  const action = event.event_action;
  if (typeof action !== 'string' || !ACTIONS.includes(action))
    errors.push("'event_action' is invalid (must be one of trigger, acknowledge, resolve)");
  if (event.dedup_key !== undefined && (typeof event.dedup_key !== 'string' || event.dedup_key.length > 255))
    errors.push("'dedup_key' is too long (maximum is 255 characters)");
  if ((action === 'acknowledge' || action === 'resolve') && typeof event.dedup_key !== 'string')
    errors.push("'dedup_key' is missing and is required for acknowledge and resolve");
  if (action === 'trigger') {
    const payload = event.payload as Record<string, unknown> | undefined;
    if (typeof payload !== 'object' || payload === null) errors.push("'payload' is missing or not an object");
    else {
      if (typeof payload.summary !== 'string' || payload.summary === '') errors.push("'summary' is missing");
      else if (payload.summary.length > 1024)
        errors.push("'summary' is too long (maiximum is 1024 characters)");
      if (typeof payload.source !== 'string' || payload.source === '') errors.push("'source' is missing");
      if (typeof payload.severity !== 'string' || !SEVERITIES.includes(payload.severity))
        errors.push("'severity' is invalid (must be one of critical, error, warning, info)");
      timestampErrors(payload, errors);
      for (const field of ['component', 'group', 'class'])
        if (payload[field] !== undefined && typeof payload[field] !== 'string')
          errors.push(`'${field}' must be a string`);
      customDetailsErrors(payload, errors);
    }
    linksErrors(event, errors);
    if (event.images !== undefined) {
      if (!Array.isArray(event.images)) errors.push("'images' must be an array");
      else if (
        event.images.some((image) => !String((image as { src?: unknown })?.src ?? '').startsWith('https://'))
      )
        errors.push("'images' entries need an https 'src'");
    }
  }
  return errors;
};

/** The problems PagerDuty would report for this change event (empty: valid). */
export const validateChangeEvent = (body: unknown): string[] => {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return ['Event must be a JSON object'];
  const event = body as Record<string, unknown>;
  const errors: string[] = [];
  if (typeof event.routing_key !== 'string' || event.routing_key.length !== 32)
    errors.push("'routing_key' is invalid (must be a 32-character integration key)");
  const payload = event.payload as Record<string, unknown> | undefined;
  if (typeof payload !== 'object' || payload === null) errors.push("'payload' is missing or not an object");
  else {
    if (typeof payload.summary !== 'string' || payload.summary === '') errors.push("'summary' is missing");
    else if (payload.summary.length > 1024) errors.push("'summary' is too long (maximum is 1024 characters)");
    timestampErrors(payload, errors);
    customDetailsErrors(payload, errors);
  }
  linksErrors(event, errors);
  return errors;
};

const send = (response: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
};

/** Starts the server on 127.0.0.1 and a free port. */
export const startPagerDutyServer = async (): Promise<PagerDutyServer> => {
  const received: ReceivedEvent[] = [];
  const changes: Record<string, unknown>[] = [];
  const alerts = new Map<string, ModelAlert>();
  const queue: PagerDutyMode[] = [];
  const sockets = new Set<Socket>();
  let counter = 0;

  const state = {
    mode: '202' as PagerDutyMode,
  };

  const apply = (event: Record<string, unknown>): string => {
    const action = event.event_action as string;
    counter += 1;
    const key = typeof event.dedup_key === 'string' ? event.dedup_key : `pd-generated-${counter}`;
    const alert = alerts.get(key);
    if (action === 'trigger') {
      if (alert === undefined || alert.status === 'resolved')
        alerts.set(key, {
          status: 'triggered',
          triggers: 1,
          opened: (alert?.opened ?? 0) + 1,
          resolves: alert?.resolves ?? 0,
          lastEvent: event,
        });
      else alerts.set(key, { ...alert, triggers: alert.triggers + 1, lastEvent: event });
    } else if (action === 'resolve' && alert !== undefined && alert.status === 'triggered') {
      alerts.set(key, { ...alert, status: 'resolved', resolves: alert.resolves + 1, lastEvent: event });
    }
    return key;
  };

  /** PagerDuty's 400 answer to an event that breaks its contract. */
  const rejectInvalid = (entry: ReceivedEvent, response: ServerResponse): void => {
    entry.status = 400;
    send(response, 400, {
      status: 'invalid event',
      message: 'Event object is invalid',
      errors: entry.errors,
    });
  };

  const handle = (request: IncomingMessage, response: ServerResponse, raw: Buffer) => {
    const entry: ReceivedEvent = { body: undefined, bytes: raw.length, errors: [] };
    received.push(entry);
    if (request.method === 'POST' && request.url === '/v2/change/enqueue') {
      try {
        entry.body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
        entry.errors = validateChangeEvent(entry.body);
      } catch {
        entry.errors = ['Event is not valid JSON'];
      }
      if (entry.errors.length > 0) return rejectInvalid(entry, response);
      entry.status = 202;
      changes.push(entry.body as Record<string, unknown>);
      send(response, 202, { message: 'Change event processed', status: 'success' });
      return;
    }
    if (request.method !== 'POST' || request.url !== '/v2/enqueue') {
      entry.status = 404;
      send(response, 404, { status: 'not found', message: 'Not found' });
      return;
    }
    try {
      entry.body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      entry.errors = ['Event is not valid JSON'];
    }
    const mode = queue.shift() ?? state.mode;
    if (mode === 'hang') return; // never answers; close() ends the socket
    if (mode === '429') {
      entry.status = 429;
      send(response, 429, {
        status: 'throttle event',
        message: 'Requests for this service are arriving too quickly.',
      });
      return;
    }
    if (mode === '500') {
      entry.status = 500;
      send(response, 500, { status: 'error', message: 'Internal Server Error' });
      return;
    }
    if (entry.errors.length === 0) entry.errors = validatePagerDutyEvent(entry.body, raw.length);
    if (mode === '400' && entry.errors.length === 0) entry.errors = ['Forced by the test'];
    if (entry.errors.length > 0) return rejectInvalid(entry, response);
    entry.status = 202;
    const dedupKey = apply(entry.body as Record<string, unknown>);
    send(response, 202, { status: 'success', message: 'Event processed', dedup_key: dedupKey });
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(request, response, Buffer.concat(chunks)));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}/v2/enqueue`,
    received,
    changes,
    alerts,
    get mode() {
      return state.mode;
    },
    set mode(mode: PagerDutyMode) {
      state.mode = mode;
    },
    respondWith: (...modes) => {
      queue.push(...modes);
    },
    accepted: (action) =>
      received
        .filter(
          (entry) =>
            entry.status === 202 &&
            entry.body?.event_action !== undefined &&
            (action === undefined || entry.body?.event_action === action),
        )
        .map((entry) => entry.body ?? {}),
    reset: () => {
      received.length = 0;
      changes.length = 0;
      alerts.clear();
      queue.length = 0;
      state.mode = '202';
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
};

/** Starts the stand-in for the calling test file and closes it after the file's last test. */
export const startPagerDutyServerForFile = async (): Promise<PagerDutyServer> => {
  const server = await startPagerDutyServer();
  afterAll(() => server.close());
  return server;
};

/** A routing key of the right shape (32 characters). */
export const ROUTING_KEY = 'R0UT1NGK3Y0000000000000000000032';
