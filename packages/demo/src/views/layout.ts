import { createHash } from 'node:crypto';
import { Html, html } from './html.js';

/** What the page header knows about the visitor. */
export interface Visitor {
  readonly username: string | null;
  readonly verified: boolean;
  /** The session's CSRF token, for the log-out form (signed-in visitors only). */
  readonly csrfToken: string | null;
  /** Whether the development outbox is on (no SMTP_URL). */
  readonly outbox: boolean;
}

const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f5f6f8;color:#1d2330}
header{background:#1d2330;color:#fff;padding:.75rem 1.5rem;display:flex;gap:1.25rem;align-items:center;flex-wrap:wrap}
header a{color:#cfe0ff;text-decoration:none}header strong{margin-right:auto}
header form{margin:0}header button{background:none;border:1px solid #cfe0ff;color:#cfe0ff;padding:.2rem .7rem}
main{max-width:46rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border-radius:8px;box-shadow:0 1px 3px #0002}
h1{margin-top:0;font-size:1.6rem}label{display:block;margin:.8rem 0 .2rem;font-weight:600}
input[type=text],input[type=password],input[type=email]{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;border:1px solid #b8bfcc;border-radius:4px}
button{background:#2858d6;color:#fff;border:0;border-radius:4px;padding:.5rem 1.1rem;font-size:1rem;cursor:pointer;margin-top:.8rem}
button.danger{background:#c23b3b}.inline{display:inline;margin:0}.inline button{margin:0;padding:.25rem .8rem;font-size:.9rem}
table{width:100%;border-collapse:collapse}td,th{text-align:left;padding:.45rem;border-bottom:1px solid #e3e6eb}
.badge{font-size:.8rem;padding:.1rem .5rem;border-radius:1rem;background:#e3e6eb;color:#1d2330}.badge.ok{background:#d4f2dc;color:#165c2a}
.error{background:#fde8e8;color:#8a1c1c;padding:.6rem .9rem;border-radius:4px}.notice{background:#e8f0fe;padding:.6rem .9rem;border-radius:4px}
.key{font-family:ui-monospace,monospace;font-size:1.15rem;letter-spacing:.05em}.codes{columns:2;font-family:ui-monospace,monospace;font-size:1.1rem}
.qr{display:block;margin:1rem 0;width:220px;height:220px;image-rendering:pixelated}pre{white-space:pre-wrap;background:#f5f6f8;padding:.75rem}
`;

/** The CSP source of the page's one inline style element, so the policy needs no 'unsafe-inline'. */
export const STYLE_SOURCE = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

/** The page frame: navigation by who is visiting, then `body`; `scripts` are this site's module scripts (never inline). */
export function layout(title: string, visitor: Visitor, body: Html, scripts: readonly string[] = []): string {
  const status = visitor.username === null ? null : visitor.verified ? 'verified' : 'not verified';
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · otpkit demo</title><style>${new Html(STYLE)}</style>${scripts.map((src) => html`<script type="module" src="${src}"></script>`)}</head>
<body><header><strong>otpkit demo</strong>
<a href="/">Home</a><a href="/secret">Secret page</a>
${visitor.username === null
    ? html`<a href="/register">Register</a><a href="/account/login">Log in</a>`
    : html`<a href="/devices">Devices</a><span>${visitor.username} <span class="badge${visitor.verified ? ' ok' : ''}">${status}</span></span>
<form method="post" action="/logout"><input type="hidden" name="_csrf" value="${visitor.csrfToken}"><button>Log out</button></form>`}
${visitor.outbox ? html`<a href="/outbox">Outbox</a>` : ''}
</header><main>${body}</main></body></html>`.markup;
}
