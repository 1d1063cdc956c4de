import type { BrowserProxy } from './launch.js';
import type { DefenceProfile } from './profiles.js';

/** One page visit for the browser agent. */
export interface BrowserJob {
  id?: string;
  profile: DefenceProfile;
  proxy?: BrowserProxy | null;
  url: string;
  /** Wait until this selector exists (e.g. '[data-verdict]'), or this JS expression is truthy. */
  waitFor?: { selector: string } | { expression: string };
  /** JS expression (may be async, e.g. an IIFE) evaluated after waitFor; its JSON-serialisable value is returned. */
  evaluate?: string;
  /** Whole job (browser start included); default 30 000 ms. */
  timeoutMs?: number;
  /**
   * Start a browser process for this job alone instead of a fresh context in a reused one.
   * Needed when something process-wide is under test (e.g. whether mDNS names stay the same
   * across sessions: Chromium keeps its name registry per process).
   */
  freshProcess?: boolean;
}

/** What a job produced; `ok: false` with `error` on any failure (never thrown). */
export interface BrowserJobResult {
  ok: boolean;
  finalUrl: string;
  value: unknown;
  durationMs: number;
  browserVersion: string;
  error?: string;
  console: string[];
}

/** Host → agent, one JSON object per stdin line. */
export type AgentRequest = { type: 'run'; seq: number; job: BrowserJob } | { type: 'shutdown' };

/** Agent → host, one JSON object per stdout line. */
export type AgentMessage =
  | { type: 'ready'; pid: number }
  /** A browser process started (its process group is the pid): the host kills it if the agent dies. */
  | { type: 'browser'; pid: number; started: boolean; dir: string }
  | { type: 'result'; seq: number; result: BrowserJobResult }
  | { type: 'fatal'; error: string };

/** Default job timeout. */
export const DEFAULT_JOB_TIMEOUT_MS = 30_000;
