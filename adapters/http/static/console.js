// PolicyBot staff console: search as you type, copy citations, upload with progress. No build step.

(() => {
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise((resolve, reject) => {
      var ta = document.createElement('textarea');
      ta.value = text;
      ta.setAttribute('readonly', '');
      ta.style.position = 'fixed';
      ta.style.opacity = '0';
      document.body.appendChild(ta);
      ta.select();
      var ok = document.execCommand('copy');
      document.body.removeChild(ta);
      ok ? resolve() : reject(new Error('copy failed'));
    });
  }

  document.addEventListener('click', (e) => {
    var btn = e.target.closest?.('button.copy');
    if (!btn) return;
    copyText(btn.getAttribute('data-cite')).then(
      () => {
        btn.textContent = '已复制';
        btn.classList.add('done');
        setTimeout(() => {
          btn.textContent = '复制引用';
          btn.classList.remove('done');
        }, 2000);
      },
      () => {
        btn.textContent = '复制失败，请手动选择';
      },
    );
  });

  // a deep link's #clause reaches the login page but not the server: carry it through the form
  var login = document.querySelector('form.login');
  if (login && location.hash && login.elements.next.value.indexOf('#') < 0) login.elements.next.value += location.hash;

  // search as you type: the server renders the results; stale answers are dropped
  var input = document.getElementById('q');
  var results = document.getElementById('results');
  if (input && results) {
    var timer = 0,
      seq = 0;
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        var q = input.value,
          mine = ++seq;
        fetch(`/search?q=${encodeURIComponent(q)}`, { headers: { accept: 'text/html' } })
          .then((r) =>
            r.ok
              ? r.text()
              : r.json().then((j) => {
                  throw new Error(j.error ? j.error.message : r.statusText);
                }),
          )
          .then((html) => {
            if (mine !== seq) return;
            results.innerHTML = html;
            history.replaceState(null, '', q.trim() ? `/?q=${encodeURIComponent(q)}` : '/');
          })
          .catch((err) => {
            if (mine === seq) {
              results.textContent = `检索失败：${err.message}`;
            }
          });
      }, 150);
    });
  }

  // upload with progress; the API answers the summary or the refusal as JSON
  var form = document.getElementById('upload-form');
  if (form) {
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      var out = document.getElementById('upload-result');
      var bar = document.getElementById('upload-progress');
      var data = new FormData(form);
      var xhr = new XMLHttpRequest();
      xhr.open('POST', '/api/ingest');
      xhr.setRequestHeader('X-CSRF-Token', form.elements._csrf.value);
      bar.hidden = false;
      bar.value = 0;
      xhr.upload.onprogress = (ev) => {
        if (ev.lengthComputable) bar.value = Math.round((ev.loaded / ev.total) * 100);
      };
      xhr.onerror = () => {
        show(out, false, '网络错误', '上传没有完成，请重试。');
      };
      xhr.onload = () => {
        bar.value = 100;
        var j;
        try {
          j = JSON.parse(xhr.responseText);
        } catch (_) {
          j = { error: { code: String(xhr.status), message: xhr.statusText } };
        }
        if (xhr.status >= 400) return show(out, false, j.error.code, j.error.message);
        show(out, true, j);
        form.reset();
        fetch('/docs/list')
          .then((r) => r.text())
          .then((html) => {
            document.getElementById('doc-list').innerHTML = html;
          });
      };
      xhr.send(data);
    });
  }

  function el(tag, text, cls) {
    var n = document.createElement(tag);
    if (text) n.textContent = text;
    if (cls) n.className = cls;
    return n;
  }
  function show(out, ok, a, b) {
    out.innerHTML = '';
    if (!ok) {
      var box = el('div', '', 'refused');
      box.setAttribute('role', 'alert');
      box.appendChild(el('strong', `未收录（${a}）`));
      box.appendChild(el('p', b));
      return out.appendChild(box);
    }
    var s = a,
      verb = { added: '已收录', replaced: `已替换 ${s.replaced || ''}`, unchanged: '内容相同，未改动' }[s.status];
    var div = el('div', '', 'summary');
    div.setAttribute('role', 'status');
    div.appendChild(el('strong', `${verb}：${s.file}`));
    if (s.format === 'pdf') div.appendChild(el('p', '由 PDF 转换为文本收录（页码已保留）'));
    if (s.format === 'html') div.appendChild(el('p', '由网页转换为文本收录'));
    if (s.bulletin) div.appendChild(el('p', s.bulletin));
    var ul = el('ul');
    s.documents.forEach((d) => {
      var li = el('li'),
        link = el('a', (d.docNumber ? `${d.docNumber} ` : '') + d.title);
      link.href = `/doc/${encodeURIComponent(d.key)}`;
      li.appendChild(link);
      li.appendChild(document.createTextNode(`（${d.clauses} 条）`));
      ul.appendChild(li);
    });
    div.appendChild(ul);
    s.warnings.forEach((w) => {
      div.appendChild(el('p', `提示：第${w.line}行：${w.message}`));
    });
    out.appendChild(div);
  }
})();
