/** The sandbox's one stylesheet: small, no JavaScript anywhere. */
export const STYLESHEET = `
:root { --ink: #1d2733; --muted: #5d6b7a; --line: #d9e0e7; --brand: #0b5cad; --ok: #1b7f3b; --warn: #9a6100; --bad: #b3261e; --bg: #f4f6f8; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
header.top { display: flex; align-items: center; gap: 1.5rem; padding: .7rem 1.5rem; background: #fff; border-bottom: 3px solid var(--brand); }
header.top .brand { font-weight: 700; font-size: 1.15rem; color: var(--brand); text-decoration: none; }
header.top .brand span { font-weight: 400; color: var(--muted); }
header.top nav { display: flex; gap: 1rem; flex: 1; }
header.top a { color: var(--ink); }
main { max-width: 60rem; margin: 1.5rem auto; padding: 0 1rem; }
section.card, form.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 1rem 1.25rem; margin-bottom: 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; } h1 small { font-size: .8rem; color: var(--muted); font-weight: 400; }
h2 { font-size: 1.15rem; margin: 0 0 .75rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1.25rem; margin: 0; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: .45rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: .85rem; color: var(--muted); font-weight: 600; }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tfoot td { font-weight: 700; border-bottom: 0; }
.small, .hint { font-size: .85rem; color: var(--muted); }
input[type=text] { font: inherit; padding: .35rem .5rem; border: 1px solid #aab6c2; border-radius: 4px; width: 100%; max-width: 22rem; }
input.amount { width: 9rem; text-align: right; }
label { display: block; margin: .5rem 0 .2rem; font-weight: 600; }
button, a.button { display: inline-block; font: inherit; font-weight: 600; padding: .55rem 1.2rem; border-radius: 4px; border: 0; background: var(--brand); color: #fff; text-decoration: none; cursor: pointer; }
button.secondary, a.button.secondary { background: #e6ecf2; color: var(--ink); }
.actions { display: flex; gap: .75rem; align-items: center; flex-wrap: wrap; margin-top: 1rem; }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: 999px; font-size: .85rem; font-weight: 600; background: #e6ecf2; }
.badge.ok, .badge.confirmed, .badge.Active, .badge.PartiallyPaid { background: #dff3e5; color: var(--ok); }
.badge.pending { background: #fff1d6; color: var(--warn); }
.badge.bad, .badge.Expired, .badge.Cancelled, .badge.fault, .badge.unreachable, .badge.rejected { background: #fbe2e0; color: var(--bad); }
.badge.Paid, .badge.Completed { background: #e1ecf8; color: var(--brand); }
.notice { padding: .75rem 1rem; border-radius: 6px; margin-bottom: 1rem; border: 1px solid; }
.notice.ok { background: #eef9f1; border-color: #b6e2c3; }
.notice.warn { background: #fff8e8; border-color: #f0d28e; }
.notice.bad { background: #fdf0ef; border-color: #f1b9b4; }
.notice ul { margin: .25rem 0 0; padding-left: 1.25rem; }
h2.spaced, .spaced { margin-top: 1rem; }
.nowrap, .nowrap code { white-space: nowrap; overflow-wrap: normal; }
table.demo td { vertical-align: middle; } td form { margin: 0; }
footer { text-align: center; color: var(--muted); font-size: .8rem; margin: 2rem 0; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; font-size: .85em; overflow-wrap: anywhere; }
`;
