/**
 * The page's script (bundled into /probe.js): on `/` it runs the leak test and then
 * moves to `/r/<id>`; on `/r/<id>` it shows the stored result.
 */
import type { StoredResult } from '../core/verdict/result.js';
import { ApiError, api } from './api.js';
import { runProbe } from './probe.js';
import { renderResult, renderStatus } from './render.js';

const RESULT_PATH = /^\/r\/([A-Za-z0-9_-]{22})$/;

async function showStored(id: string): Promise<void> {
  renderStatus('Loading result…', '');
  renderResult(await api<StoredResult>('GET', `/api/results/${id}`));
}

async function runAndShow(media: boolean): Promise<void> {
  renderStatus(
    media ? 'Testing with camera/microphone permission…' : 'Testing your browser…',
    media
      ? 'Your browser may ask for permission; the test does not record anything.'
      : 'This takes about a second.',
  );
  const accepted = await runProbe({ media });
  performance.mark('iceleak:reported');
  history.replaceState(null, '', accepted.url);
  renderResult(accepted.result);
}

function main(): void {
  performance.mark('iceleak:start');
  document.getElementById('rerun')?.addEventListener('click', () => location.assign('/'));
  document.getElementById('rerun-media')?.addEventListener('click', () => location.assign('/?media=1'));
  const stored = RESULT_PATH.exec(location.pathname)?.[1];
  const media = new URLSearchParams(location.search).get('media') === '1';
  (stored ? showStored(stored) : runAndShow(media)).catch((error: unknown) => {
    const message =
      error instanceof ApiError
        ? `${error.message} (${error.code})`
        : error instanceof Error
          ? error.message
          : String(error);
    renderStatus(stored ? 'Result not found' : 'The test could not finish', message, true);
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', main);
else main();
