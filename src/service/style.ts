/** The page's stylesheet, served as /style.css (CSP: no inline style). Light and dark via prefers-color-scheme. */
export const PAGE_CSS = `:root {
  --bg: #ffffff; --fg: #1a1a1a; --muted: #555; --border: #d0d0d0; --code: #f3f3f3;
  --leak: #b3001b; --leak-bg: #fde8ea; --warn: #8a5300; --warn-bg: #fff3dc;
  --ok: #146c2e; --ok-bg: #e3f5e8; --off: #3a4a63; --off-bg: #e8edf5; --link: #0b57d0;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.5;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #121417; --fg: #e8e8e8; --muted: #a8a8a8; --border: #3a3f45; --code: #1d2126;
    --leak: #ff8a95; --leak-bg: #3b1418; --warn: #ffc76b; --warn-bg: #362a12;
    --ok: #7ddc97; --ok-bg: #12301c; --off: #a9bde0; --off-bg: #1c2535; --link: #8ab4f8;
  }
}
body { background: var(--bg); color: var(--fg); margin: 0 auto; max-width: 60rem; padding: 1rem 1.25rem 3rem; }
a { color: var(--link); }
h1 { font-size: 1.8rem; margin: 0.5rem 0; }
h2 { font-size: 1.25rem; margin: 1.5rem 0 0.5rem; }
.lede, footer { color: var(--muted); }
.banner { border: 2px solid var(--border); border-radius: 0.75rem; padding: 1rem 1.25rem; margin: 1rem 0; }
.banner h2 { margin: 0 0 0.25rem; font-size: 1.6rem; }
.banner p { margin: 0; font-size: 1.1rem; }
.banner[data-verdict="leak"] { border-color: var(--leak); background: var(--leak-bg); color: var(--leak); }
.banner[data-verdict="local-exposure"] { border-color: var(--warn); background: var(--warn-bg); color: var(--warn); }
.banner[data-verdict="protected"] { border-color: var(--ok); background: var(--ok-bg); color: var(--ok); }
.banner[data-verdict="webrtc-disabled"] { border-color: var(--off); background: var(--off-bg); color: var(--off); }
.banner.error { border-color: var(--warn); }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; color: var(--muted); padding-bottom: 0.25rem; }
th, td { border-bottom: 1px solid var(--border); padding: 0.4rem 0.5rem; text-align: left; vertical-align: top; }
td.addr, code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; overflow-wrap: anywhere; }
ul { padding-left: 1.25rem; }
li { margin: 0.35rem 0; }
.sev { font-weight: 600; text-transform: uppercase; font-size: 0.8rem; padding: 0.05rem 0.4rem; border-radius: 0.3rem; border: 1px solid currentColor; margin-right: 0.4rem; }
.sev-critical, .sev-high { color: var(--leak); }
.sev-medium { color: var(--warn); }
.sev-low, .sev-info { color: var(--muted); }
pre { background: var(--code); padding: 0.75rem; border-radius: 0.5rem; max-height: 30rem; overflow: auto; white-space: pre-wrap; font-size: 0.85rem; }
code { background: var(--code); padding: 0 0.25rem; border-radius: 0.25rem; }
button { font: inherit; padding: 0.45rem 0.9rem; border-radius: 0.5rem; border: 1px solid var(--border); background: var(--code); color: var(--fg); cursor: pointer; margin: 0.25rem 0.25rem 0.25rem 0; }
button:focus-visible, a:focus-visible, summary:focus-visible { outline: 3px solid var(--link); outline-offset: 2px; }
`;
