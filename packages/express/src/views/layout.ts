import { html, SafeHtml } from './html.js';

const STYLE = new SafeHtml(`
body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d1d1f}
main{max-width:24rem;margin:3rem auto;padding:1.5rem 2rem;background:#fff;border-radius:.5rem;box-shadow:0 1px 4px #0002}
h1{font-size:1.4rem;margin-top:0}
h2{font-size:1.05rem;margin:1.5rem 0 .3rem}
ul.methods{list-style:none;padding:0;margin:0}
ul.methods li{margin:.5rem 0}
ul.methods button{margin:0;text-align:left}
label{display:block;margin:.8rem 0 .2rem;font-weight:600}
input[type=text],input[type=password],select{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;border:1px solid #888;border-radius:.3rem}
.check{display:flex;gap:.5rem;align-items:center;font-weight:400}
button{margin-top:1rem;margin-right:.5rem;padding:.5rem 1rem;font-size:1rem;border-radius:.3rem;border:1px solid #1a56db;background:#1a56db;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1a56db}
:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.errors{border-left:4px solid #b91c1c;background:#fef2f2;padding:.5rem 1rem;margin:0 0 1rem}
.message{border-left:4px solid #1a56db;background:#eff6ff;padding:.5rem 1rem;margin:0 0 1rem}
.hint{color:#555;font-size:.9rem}
main.wide{max-width:64rem;overflow-x:auto}
table{width:100%;border-collapse:collapse;margin:.5rem 0 1rem}
th,td{text-align:left;vertical-align:top;padding:.4rem;border-bottom:1px solid #d6d9de}
td button{margin:0}
h2{font-size:1.15rem;margin-top:2rem}
code.secret{font-size:1.5rem;letter-spacing:.1em}
`);

/** How a page is laid out besides its title and body. */
export interface LayoutOptions {
  /** The page's language (`<html lang>`). @default 'en' */
  readonly lang?: string;
  /** A wide page, for tables (the admin pages). @default false */
  readonly wide?: boolean;
}

/**
 * The page around a view: one `<main>`, inline CSS, no external assets; `scripts` are module
 * scripts of this site (a plugin's browser script, for devices answered in the page), never inline.
 */
export function layout(title: string, body: SafeHtml, scripts: readonly string[] = [], { lang = 'en', wide = false }: LayoutOptions = {}): string {
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${title}</title>
<style>${STYLE}</style>
${scripts.map((src) => html`<script type="module" src="${src}"></script>`)}
</head>
<body>
<main${wide ? html` class="wide"` : html``}>
<h1>${title}</h1>
${body}
</main>
</body>
</html>
`.toString();
}

/**
 * The Content-Security-Policy of otpkit's pages: nothing external, no inline script (only this
 * site's script files: a plugin's browser script), forms post to this site only.
 */
export const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
