/**
 * The leak-test page, for both `/` (run the probe) and `/r/<id>` (show a stored result).
 * Static markup only: the probe script fills it with textContent, and the CSP forbids
 * inline script and style, so nothing a client submitted can ever run here.
 */
export function renderPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>WebRTC leak test</title>
<link rel="stylesheet" href="/style.css">
<script src="/probe.js" defer></script>
</head>
<body>
<header>
<h1>WebRTC leak test</h1>
<p class="lede">Web pages can ask your browser for your network addresses through WebRTC, even behind a VPN or proxy. This page checks what yours gives away. Everything is measured by this server: no third party is contacted.</p>
</header>
<main>
<section id="verdict" class="banner pending" role="status" aria-live="polite" aria-labelledby="verdict-title">
<h2 id="verdict-title">Testing your browser…</h2>
<p id="verdict-summary">This takes about a second.</p>
</section>
<noscript><p class="banner">This test needs JavaScript. With JavaScript off, pages cannot use WebRTC either.</p></noscript>
<section id="fix-section" hidden aria-labelledby="fix-title">
<h2 id="fix-title">How to fix it in this browser</h2>
<ul id="fixes"></ul>
</section>
<section id="findings-section" hidden aria-labelledby="findings-title">
<h2 id="findings-title">What we found</h2>
<ul id="findings"></ul>
</section>
<section id="addresses-section" hidden aria-labelledby="addresses-title">
<h2 id="addresses-title">Every address we saw</h2>
<div class="scroll"><table>
<caption>Addresses learned through WebRTC, with their kind and how this site learned them</caption>
<thead><tr><th scope="col">Address</th><th scope="col">Kind</th><th scope="col">How it was learned</th><th scope="col">Finding</th></tr></thead>
<tbody id="addresses"></tbody>
</table></div>
</section>
<section id="http-section" hidden aria-labelledby="http-title">
<h2 id="http-title">What every website sees anyway</h2>
<p>The address(es) your page requests came from. A WebRTC address that is public and not in this list is a leak.</p>
<ul id="http"></ul>
</section>
<section id="raw-section" hidden aria-labelledby="raw-title">
<h2 id="raw-title">Details</h2>
<details><summary>Raw candidates, SDP and server observations</summary><pre id="raw"></pre></details>
</section>
<section id="actions" aria-label="Actions">
<p id="share-line" hidden>Shareable link: <a id="share" href="/">this result</a> · <a id="download" href="/">Download JSON</a></p>
<p><button id="rerun" type="button">Run the test again</button> <button id="rerun-media" type="button">Re-run as a site with camera/microphone permission</button></p>
</section>
</main>
<footer><p>Results are kept for a limited time and then deleted. Powered by iceleak.</p></footer>
</body>
</html>
`;
}
