/**
 * The one stylesheet of Convene's pages (served at STYLESHEET_PATH): readable type, a narrow
 * column, visible focus, forms that work at any width. Plain CSS, kept small.
 */
export const STYLESHEET = `
:root { color-scheme: light; --ink: #1f2937; --muted: #4b5563; --line: #d1d5db; --accent: #1d4ed8; --focus: #b45309; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f4f5; color: var(--ink); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; }
main { max-width: 40rem; margin: 0 auto; padding: 1.5rem; background: #fff; min-height: 100vh; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 1rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 0.5rem; }
p, ul { margin: 0 0 1rem; }
a { color: var(--accent); }
.muted { color: var(--muted); font-size: 0.95rem; }
.link { word-break: break-all; }
form { margin: 0 0 1.5rem; }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 1rem; padding: 0.75rem 1rem; }
legend { font-weight: 600; padding: 0 0.25rem; }
label { display: block; margin: 0 0 0.25rem; font-weight: 600; }
label.choice { font-weight: 400; display: flex; gap: 0.5rem; align-items: baseline; }
input[type="text"], input[type="email"], select { width: 100%; font: inherit; padding: 0.5rem; border: 1px solid #6b7280; border-radius: 4px; margin: 0 0 1rem; }
button { font: inherit; font-weight: 600; padding: 0.6rem 1.2rem; border-radius: 6px; border: 2px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: var(--accent); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.notice { border-inline-start: 4px solid var(--accent); padding: 0.5rem 1rem; background: #eff6ff; }
header, footer { max-width: 40rem; margin: 0 auto; padding: 0.5rem 1.5rem; background: #fff; }
footer { border-top: 1px solid var(--line); }
nav.languages ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; margin: 0; padding: 0; }
nav.languages [aria-current] { font-weight: 600; }
h3 { font-size: 1.05rem; margin: 0 0 0.25rem; }
h4 { font-size: 1rem; margin: 0.5rem 0 0.25rem; }
ol.sessions { list-style: none; padding: 0; }
ol.sessions > li { border-top: 1px solid var(--line); padding: 0.75rem 0; }
ol.sessions p { margin: 0 0 0.25rem; }
ul.subscribe { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.5rem; }
a.button { display: inline-block; font-weight: 600; padding: 0.5rem 1rem; border-radius: 6px; border: 2px solid var(--accent); background: var(--accent); color: #fff; text-decoration: none; }
a.button.secondary { background: #fff; color: var(--accent); }
.hint { color: var(--muted); font-size: 0.95rem; margin: 0 0 0.25rem; }
.error { color: #991b1b; font-weight: 600; margin: 0 0 0.25rem; }
.error-summary { border: 3px solid #991b1b; padding: 0.5rem 1rem; margin: 0 0 1rem; }
[aria-invalid="true"] { border: 2px solid #991b1b; }
.actions { display: flex; flex-wrap: wrap; gap: 0.5rem; }
.actions form { margin: 0 0 1rem; }
label.choice input { flex: none; }
`;
