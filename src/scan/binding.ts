import type { Browser, CDPSession } from 'puppeteer-core';
import { REPORT_BINDING } from './instrument-source.js';

/**
 * Routes `Runtime.bindingCalled` reports of the instrumentation to the scan that owns them,
 * by the token each scan bakes into its instrumentation. One per browser.
 */
export interface BindingRouter {
  /** Receives every payload carrying `token` until the returned function is called. */
  subscribe(token: string, onReport: (payload: string) => void): () => void;
}

const routers = new WeakMap<Browser, Promise<BindingRouter>>();

async function createRouter(browser: Browser): Promise<BindingRouter> {
  const listeners = new Map<string, (payload: string) => void>();
  const probe = await browser.target().createCDPSession();
  const connection = probe.connection();
  await probe.detach().catch(() => {});
  if (!connection) throw new Error('no CDP connection');
  const onPayload = (payload: string) => {
    // The token sits at a fixed place: {"token":"…", — avoid parsing what is not ours.
    const m = /^\{"token":"([A-Za-z0-9_-]{1,64})"/.exec(payload);
    if (m) listeners.get(m[1]!)?.(payload);
  };
  // Puppeteer attaches to every new target (flatten, waiting for the debugger) and emits this
  // before it resumes the target, so the binding exists before the first script of every
  // frame, cross-origin iframes (OOPIFs) included.
  connection.on('sessionattached', (session: CDPSession) => {
    // Every target type: pages, OOPIFs and workers (where the instrumentation finds no
    // WebRTC in Chromium 156 and stays silent); a target without Runtime just refuses.
    session.on('Runtime.bindingCalled', (event) => {
      if (event.name === REPORT_BINDING) onPayload(event.payload);
    });
    session.send('Runtime.addBinding', { name: REPORT_BINDING }).catch(() => {});
  });
  return {
    subscribe(token, onReport) {
      listeners.set(token, onReport);
      return () => listeners.delete(token);
    },
  };
}

/** The router of `browser`, created on first use (before the scan's first page). */
export function bindingRouter(browser: Browser): Promise<BindingRouter> {
  let router = routers.get(browser);
  if (!router) {
    router = createRouter(browser);
    routers.set(browser, router);
  }
  return router;
}
