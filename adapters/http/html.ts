/** HTML building blocks of the staff console: escaping, highlighting, the page frame. */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/**
 * Escapes `text` and wraps every occurrence of the given words in <mark>. Words the text does
 * not hold whole are tried by their two-character pieces, so 护理补贴 still marks 护理 in 护理费补贴.
 */
export function highlight(text: string, words: readonly string[]): string {
  const marked = new Uint8Array(text.length);
  const mark = (w: string): boolean => {
    let found = false;
    for (let i = text.indexOf(w); w && i >= 0; i = text.indexOf(w, i + 1)) {
      marked.fill(1, i, i + w.length);
      found = true;
    }
    return found;
  };
  for (const w of new Set(words)) {
    if (!w || mark(w) || w.length < 3) continue;
    for (let i = 0; i + 2 <= w.length; i++) mark(w.slice(i, i + 2));
  }
  let out = '';
  let open = false;
  for (let i = 0; i < text.length; i++) {
    if (marked[i] && !open) out += '<mark>';
    if (!marked[i] && open) out += '</mark>';
    open = marked[i] === 1;
    out += esc(text[i]!);
  }
  return open ? `${out}</mark>` : out;
}

/** What the frame needs to know about the visitor. */
export interface PageContext {
  /** Logged in (cookie session) or holding the admin token. */
  admin: boolean;
  /** CSRF token for forms, when logged in. */
  csrf?: string;
}

/** The shared page frame: head, navigation, main. `body` must already be escaped HTML. */
export function page(title: string, body: string, ctx: PageContext): string {
  const nav = [
    ['/', '检索'],
    ['/docs', '文件与上传'],
    ['/review', '未答问题与反馈'],
    ['/subscribers', '订阅与推送'],
  ]
    .map(([href, label]) => `<a href="${href}">${label}</a>`)
    .join('');
  const session = ctx.admin
    ? ctx.csrf
      ? `<form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${esc(ctx.csrf)}"><button type="submit" class="link">退出</button></form>`
      : ''
    : '<a href="/login">登录</a>';
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · 政策问答机器人</title>
<link rel="stylesheet" href="/static/console.css">
<script src="/static/console.js" defer></script>
</head>
<body>
<header><a class="brand" href="/">政策问答 · 工作台</a><nav>${nav}${session}</nav></header>
<main>
${body}
</main>
</body>
</html>
`;
}

/**
 * A list table: `cells` are HTML already escaped; every cell carries its column name, which the
 * phone layout shows before it (the header row is hidden there). `empty` when there are no rows.
 */
export function listTable(id: string, columns: readonly string[], rows: ReadonlyArray<readonly string[]>, empty: string): string {
  if (rows.length === 0) return `<p class="empty">${esc(empty)}</p>`;
  const head = columns.map((c) => `<th>${esc(c)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((cell, i) => `<td data-label="${esc(columns[i] ?? '')}">${cell}</td>`).join('')}</tr>`).join('');
  return `<table${id ? ` id="${esc(id)}"` : ''} class="list"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}
