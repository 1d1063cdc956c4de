import { randomBytes } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type RouteShorthandOptions,
} from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import { isIceleakError } from '../core/errors.js';
import { generateIceCredentials } from '../core/ice/ice-credentials.js';
import { createIceLiteAnswer } from '../core/ice/ice-lite-answer.js';
import type { Observation } from '../core/observation.js';
import { browserFamilyFromUserAgent, decideVerdict, matchStunObservations } from '../core/verdict/index.js';
import type { ProbeReport } from '../core/verdict/report.js';
import { RESULT_SCHEMA_VERSION, type StoredResult } from '../core/verdict/result.js';
import type { ApiErrorCode } from './api-errors.js';
import { type LiveSession, LiveSessions } from './live-sessions.js';
import { createServiceMetrics, type ServiceMetrics } from './metrics.js';
import { renderPage } from './page.js';
import { parseProbeReport, REPORT_LIMITS } from './report-schema.js';
import type { LeakTestResultStore } from './store.js';
import { StunHistory } from './stun-history.js';
import { PAGE_CSS } from './style.js';

/** An address:port browsers must use to reach our STUN server / ICE-lite observer. */
export interface PublicEndpoint {
  readonly address: string;
  readonly port: number;
  readonly transport: 'udp' | 'tcp';
}

/** The part of the STUN observer the app uses (a fake one in handler tests). */
export interface ObserverPort {
  onObservation(listener: (o: Observation) => void): () => void;
  registerSession(s: { sessionId: string; ufrag: string; pwd: string; ttlMs?: number }): void;
  unregisterSession(ufrag: string): void;
}

/** How the HTTP app behaves; every field has a default suited to `iceleak serve`. */
export interface AppOptions {
  /** Honour X-Forwarded-For (true, a hop count, or a list of trusted proxy addresses). Default false. */
  trustProxy?: boolean | number | string;
  /** Origins (`http://v4.example:8080`) that resolve only over IPv4 / IPv6, so the page learns both HTTP-seen addresses. */
  ipv4Origin?: string | null;
  ipv6Origin?: string | null;
  /** Per-IP request budget per minute (false: off, for benchmarks). Session creation gets a fifth of it. */
  rateLimitPerMinute?: number | false;
  /** Longest the report request waits for the browser's ICE checks to reach the observer. */
  iceWaitMs?: number;
  /** The probe's hard cap for connections that never complete gathering. */
  probeCapMs?: number;
  /** How long a live session (credentials, HTTP-seen addresses) lasts. */
  sessionTtlMs?: number;
  maxLiveSessions?: number;
  /** Serve HTTPS (camera/microphone mode needs a secure context). */
  https?: { cert: Buffer; key: Buffer } | null;
}

/** What the app talks to. */
export interface AppDeps {
  observer: ObserverPort;
  /** STUN/ICE endpoints browsers must use (the `--public-address` ones, or the bound ones). */
  endpoints: readonly PublicEndpoint[];
  store: LeakTestResultStore;
  /** The bundled probe script (served as /probe.js). */
  probeScript: string;
  logger?: Logger;
  metrics?: ServiceMetrics;
}

/** Ids carry 128 random bits (RFC 4086 §3 entropy from the OS CSPRNG), base64url. */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}
const ID = /^[A-Za-z0-9_-]{22}$/;

const idParams = z.object({ id: z.string().regex(ID) });
/** `family` limits the answer to our endpoints of one family: browsers stop checking once one pair works. */
const offerBody = z.object({
  sdp: z.string().min(1).max(REPORT_LIMITS.sdpLength),
  family: z.enum(['IPv4', 'IPv6']).optional(),
});

/** JSON error body: a stable code and a message; never echoes submitted content. */
function fail(reply: FastifyReply, status: number, code: ApiErrorCode, message: string): FastifyReply {
  return reply.code(status).send({ error: { code, message } });
}

/** STUN URL for one endpoint (RFC 7064 §3.1: IPv6 literals in brackets). */
function stunUrl(e: PublicEndpoint): string {
  const host = e.address.includes(':') ? `[${e.address}]` : e.address;
  return `stun:${host}:${e.port}${e.transport === 'tcp' ? '?transport=tcp' : ''}`;
}

/**
 * Which address families the report says should show up as ICE checks: each family in
 * which the browser got a srflx candidate from our STUN server (so its UDP reaches us) and
 * for which we advertise an endpoint. No srflx means our STUN server — on the observer's
 * addresses — was not reached, so no check will be either: nothing to wait for.
 */
function expectedCheckFamilies(
  report: ProbeReport,
  endpoints: readonly PublicEndpoint[],
): Set<'IPv4' | 'IPv6'> {
  const ours = new Set(endpoints.map((e) => (e.address.includes(':') ? 'IPv6' : 'IPv4')));
  const expected = new Set<'IPv4' | 'IPv6'>();
  for (const c of report.connections) {
    for (const line of c.candidates) {
      // candidate-attribute: foundation component transport priority connection-address port "typ" cand-type (RFC 8839 §5.1)
      const fields = line.replace(/^candidate:/, '').split(' ');
      if (fields[7] !== 'srflx' || fields[2]?.toLowerCase() !== 'udp' || !fields[4]) continue;
      const family = fields[4].includes(':') ? 'IPv6' : 'IPv4';
      if (ours.has(family)) expected.add(family);
    }
  }
  return expected;
}

/** What the routes share: options with their defaults, the dependencies, and the live tables. */
interface AppState {
  readonly options: AppOptions;
  readonly deps: AppDeps;
  readonly metrics: ServiceMetrics;
  readonly sessions: LiveSessions;
  readonly stunHistory: StunHistory;
  readonly iceWaitMs: number;
  readonly probeCapMs: number;
  readonly sessionTtlMs: number;
}

/**
 * The `iceleak serve` HTTP app: the page, the probe script, the JSON API and operations
 * endpoints. Built without listening so handler tests can use `inject`.
 */
export async function buildApp(options: AppOptions, deps: AppDeps): Promise<FastifyInstance> {
  const sessionTtlMs = options.sessionTtlMs ?? 5 * 60_000;
  const state: AppState = {
    options,
    deps,
    metrics: deps.metrics ?? createServiceMetrics(),
    sessions: new LiveSessions({ ttlMs: sessionTtlMs, max: options.maxLiveSessions ?? 10_000 }),
    stunHistory: new StunHistory(),
    iceWaitMs: options.iceWaitMs ?? 300,
    probeCapMs: options.probeCapMs ?? 2000,
    sessionTtlMs,
  };
  const serverOptions = {
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    ...(options.https ? { https: options.https } : {}),
    trustProxy: options.trustProxy ?? false,
    bodyLimit: REPORT_LIMITS.bodyBytes,
  };
  // The HTTPS variant only changes the server type; the routes are the same.
  const app = Fastify(serverOptions as Parameters<typeof Fastify>[0]) as unknown as FastifyInstance;

  followObservations(app, state);
  const sessionRoute = await limitRates(app, options);
  answerSafely(app, options);
  routePages(app, state);
  routeSessions(app, state, sessionRoute);
  routeReport(app, state);
  routeResults(app, state);
  return app;
}

/** Observations feed the live tables; expired sessions leave the observer. Both stop on close. */
function followObservations(app: FastifyInstance, { deps, metrics, sessions, stunHistory }: AppState): void {
  const stopObserving = deps.observer.onObservation((o) => {
    metrics.observations.inc({
      kind: o.kind,
      attributed: o.kind === 'ice-check' ? String(o.sessionId !== null) : 'n/a',
    });
    if (o.kind === 'stun-binding') stunHistory.add(o);
    else sessions.addCheck(o);
  });
  const sweeper = setInterval(() => {
    for (const gone of sessions.sweep()) deps.observer.unregisterSession(gone.ufrag);
  }, 30_000);
  sweeper.unref();
  app.addHook('onClose', async () => {
    clearInterval(sweeper);
    stopObserving();
  });
}

/** Per-IP rate limits; returns the options of the session-creation route (its own, tighter budget). */
async function limitRates(app: FastifyInstance, options: AppOptions): Promise<RouteShorthandOptions> {
  if (options.rateLimitPerMinute !== false) {
    await app.register(rateLimit, {
      global: true,
      max: options.rateLimitPerMinute ?? 300,
      timeWindow: 60_000,
      errorResponseBuilder: (_req, ctx) => ({
        statusCode: 429,
        error: {
          code: 'E_RATE_LIMITED' satisfies ApiErrorCode,
          message: `too many requests; retry in ${ctx.after}`,
        },
      }),
    });
  }
  // Creating a session registers ICE credentials: a tighter budget than the other routes.
  const sessionRoute: RouteShorthandOptions = { bodyLimit: 1024 };
  if (options.rateLimitPerMinute !== false) {
    const max = Math.max(1, Math.floor((options.rateLimitPerMinute ?? 300) / 5));
    sessionRoute.config = { rateLimit: { max, timeWindow: 60_000 } };
  }
  return sessionRoute;
}

/** Security headers on every answer, and errors as `{"error": {code, message}}` that echo nothing. */
function answerSafely(app: FastifyInstance, options: AppOptions): void {
  // CSP host-sources cannot name an IPv6 literal (CSP3 §2.3.1 host-char has no brackets):
  // for such an origin the scheme is allowed instead. Only our own script makes requests.
  const extraOrigins = [options.ipv4Origin, options.ipv6Origin]
    .filter((o): o is string => !!o)
    .map((o) => (new URL(o).hostname.startsWith('[') ? new URL(o).protocol : o));
  // No inline script or style anywhere: submitted strings can never execute, even if an
  // encoding bug slipped into the page.
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    `connect-src 'self' ${extraOrigins.join(' ')}`.trim(),
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  // While closing, answers to in-flight requests end their keep-alive connection, so
  // close() returns once those requests are done instead of waiting for idle timeouts.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    reply.header('content-security-policy', csp);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    // Browsers ignore (and warn about) COOP on plain-http origins.
    if (request.protocol === 'https') reply.header('cross-origin-opener-policy', 'same-origin');
    return payload;
  });
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, _request, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 413) return fail(reply, 413, 'E_BODY_TOO_LARGE', 'request body too large');
    if (status === 429) return reply.code(429).send(error);
    if (status >= 400 && status < 500) return fail(reply, status, 'E_BAD_REQUEST', 'malformed request');
    app.log.error({ err: error }, 'request failed');
    return fail(reply, 500, 'E_INTERNAL', 'internal error');
  });
  app.setNotFoundHandler((_request, reply) => fail(reply, 404, 'E_NOT_FOUND', 'no such resource'));
}

/** The page and its assets, and the operations endpoints. */
function routePages(app: FastifyInstance, { deps, metrics, sessions }: AppState): void {
  const page = renderPage();
  const sendPage = (_request: FastifyRequest, reply: FastifyReply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(page);
  app.get('/', sendPage);
  app.get('/r/:id', sendPage);
  app.get('/probe.js', (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(deps.probeScript),
  );
  app.get('/style.css', (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').send(PAGE_CSS),
  );
  // Browsers ask for it on every page; an empty answer keeps the console and logs clean.
  app.get('/favicon.ico', (_request, reply) =>
    reply.code(204).header('cache-control', 'max-age=86400').send(),
  );
  app.get('/healthz', { config: { rateLimit: false } }, () => ({
    status: 'ok',
    liveSessions: sessions.size,
    storedResults: deps.store.count(),
  }));
  app.get('/metrics', { config: { rateLimit: false } }, async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
}

/** The live session the `:id` of a request names (recording its HTTP-seen address), or a 404 sent. */
function liveSession(
  sessions: LiveSessions,
  request: FastifyRequest,
  reply: FastifyReply,
): LiveSession | null {
  const params = idParams.safeParse(request.params);
  const session = params.success ? sessions.get(params.data.id) : undefined;
  if (!session) {
    fail(reply, 404, 'E_SESSION_UNKNOWN', 'unknown or expired session');
    return null;
  }
  sessions.recordHttp(session, request.ip);
  return session;
}

/** Creating a session (ICE credentials registered with the observer), its `seen` beacons, and its offer. */
function routeSessions(app: FastifyInstance, state: AppState, sessionRoute: RouteShorthandOptions): void {
  const { options, deps, metrics, sessions } = state;
  app.post('/api/sessions', sessionRoute, (request, reply) => {
    const id = newId();
    const { ufrag, pwd } = generateIceCredentials();
    const { session, evicted } = sessions.create(id, ufrag, pwd);
    if (evicted) deps.observer.unregisterSession(evicted.ufrag);
    deps.observer.registerSession({ sessionId: id, ufrag, pwd, ttlMs: state.sessionTtlMs });
    sessions.recordHttp(session, request.ip);
    metrics.sessions.inc();
    const udp = deps.endpoints.filter((e) => e.transport === 'udp');
    const seen = (origin: string | null | undefined) => (origin ? `${origin}/api/sessions/${id}/seen` : null);
    return reply.code(201).send({
      schemaVersion: RESULT_SCHEMA_VERSION,
      sessionId: id,
      stun: {
        ipv4: udp.filter((e) => !e.address.includes(':')).map(stunUrl),
        ipv6: udp.filter((e) => e.address.includes(':')).map(stunUrl),
      },
      seenUrls: [seen(options.ipv4Origin), seen(options.ipv6Origin)].filter((u): u is string => u !== null),
      probeCapMs: state.probeCapMs,
    });
  });

  // Fetched from the IPv4-only and IPv6-only hostnames: a cross-origin GET with no
  // credentials, so the page learns the address each family's HTTP path shows.
  app.get('/api/sessions/:id/seen', (request, reply) => {
    reply.header('access-control-allow-origin', '*');
    const session = liveSession(sessions, request, reply);
    if (!session) return reply;
    return reply.send({ ok: true });
  });

  app.post('/api/sessions/:id/offer', { bodyLimit: REPORT_LIMITS.sdpLength + 1024 }, (request, reply) => {
    const session = liveSession(sessions, request, reply);
    if (!session) return reply;
    if (session.resultId !== null) return fail(reply, 409, 'E_SESSION_REPORTED', 'session already reported');
    const body = offerBody.safeParse(request.body);
    if (!body.success) return fail(reply, 400, 'E_OFFER_INVALID', 'body must be {"sdp": "<offer>"}');
    try {
      const family = body.data.family;
      const ofFamily = deps.endpoints.filter(
        (e) => !family || e.address.includes(':') === (family === 'IPv6'),
      );
      const sdp = createIceLiteAnswer(body.data.sdp, {
        ufrag: session.ufrag,
        pwd: session.pwd,
        candidates: (ofFamily.length > 0 ? ofFamily : deps.endpoints).map((e) => ({
          address: e.address,
          port: e.port,
          transport: e.transport,
        })),
      });
      return reply.send({ type: 'answer', sdp });
    } catch (error) {
      if (isIceleakError(error)) return fail(reply, 400, 'E_OFFER_INVALID', `offer rejected (${error.code})`);
      throw error;
    }
  });
}

/** The report: checked, joined with what the servers observed, judged, stored, answered. */
function routeReport(app: FastifyInstance, state: AppState): void {
  const { deps, metrics, sessions } = state;
  app.post('/api/sessions/:id/report', async (request, reply) => {
    const session = liveSession(sessions, request, reply);
    if (!session) return reply;
    // A refused report is counted by its code (iceleak_reports_rejected_total{code}).
    const refuse = (status: number, code: ApiErrorCode, message: string) => {
      metrics.rejected.inc({ code });
      return fail(reply, status, code, message);
    };
    if (session.resultId !== null || session.reporting) {
      return refuse(409, 'E_SESSION_REPORTED', 'session already reported');
    }
    const parsed = parseProbeReport(request.body);
    if (!parsed.ok) return refuse(400, 'E_REPORT_INVALID', `invalid report: ${parsed.problems.join('; ')}`);
    const report = parsed.report;
    session.reporting = true;
    try {
      const userAgent = String(request.headers['user-agent'] ?? report.userAgent).slice(
        0,
        REPORT_LIMITS.userAgentLength,
      );
      const result = await judgeReport(state, session, report, userAgent);
      deps.store.put(result);
      session.resultId = result.id;
      deps.observer.unregisterSession(session.ufrag);
      metrics.results.inc({ verdict: result.verdict });
      metrics.probeDuration.observe(report.durationMs / 1000);
      // The full result rides along: the page renders it without another round trip.
      return reply.code(201).send({ id: result.id, url: `/r/${result.id}`, verdict: result.verdict, result });
    } finally {
      session.reporting = false;
    }
  });
}

/** One session's report with what the servers saw of it, as a result with its verdict. */
async function judgeReport(
  { deps, metrics, sessions, stunHistory, iceWaitMs }: AppState,
  session: LiveSession,
  report: ProbeReport,
  userAgent: string,
): Promise<StoredResult> {
  // The browser's checks usually arrive before its report; when some have not yet,
  // wait for them (one per expected family), bounded, instead of a fixed delay.
  const expected = expectedCheckFamilies(report, deps.endpoints);
  const waitedMs = await sessions.waitFor(
    session,
    (s) => [...expected].every((family) => s.iceChecks.some((c) => c.source.family === family)),
    expected.size > 0 ? iceWaitMs : 0,
  );
  metrics.reportWait.observe(waitedMs / 1000);
  const stun = matchStunObservations(report, stunHistory.since(session.createdAt - 1000));
  const browser = browserFamilyFromUserAgent(userAgent);
  const http = [...session.http.values()];
  const iceChecks = [...session.iceChecks];
  const { verdict, findings } = decideVerdict({ http, stun, iceChecks, report, browser });
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    id: newId(),
    createdAt: new Date().toISOString(),
    verdict,
    findings,
    browser: { family: browser, userAgent },
    http: { addresses: http },
    client: {
      rtcPeerConnection: report.rtcPeerConnection,
      mediaPermission: report.mediaPermission,
      durationMs: report.durationMs,
      connections: report.connections,
    },
    server: { stun, iceChecks, waitedMs },
  };
}

/** Stored results, by id. */
function routeResults(app: FastifyInstance, { deps }: AppState): void {
  app.get('/api/results/:id', (request, reply) => {
    const params = idParams.safeParse(request.params);
    const result = params.success ? deps.store.get(params.data.id) : undefined;
    if (!result) return fail(reply, 404, 'E_RESULT_UNKNOWN', 'unknown or expired result');
    if ((request.query as Record<string, unknown>)['download'] !== undefined) {
      reply.header('content-disposition', `attachment; filename="iceleak-${result.id}.json"`);
    }
    return reply.header('cache-control', 'no-store').send(result);
  });
}
