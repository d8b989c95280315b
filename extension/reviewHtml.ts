// The review panel's page: one table of the suggestions of an encounter, or of a folder of encounters (sortable by
// encounter, code, confidence or status), with evidence snippets, rule findings, bulk accept / reject and export.
// Built as a string with every value escaped; the Content-Security-Policy allows only this page's nonce'd script and
// styles, no network.
import type { SuggestionsAnswer } from '../server/protocol';
import { statusOf } from './encounterCodes';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const nameOf = (uri: string) => decodeURIComponent(uri.split('?')[0]!.split('/').pop() ?? uri);

export function reviewHtml(answers: readonly SuggestionsAnswer[], nonce: string, cspSource: string, title: string): string {
  const many = answers.length > 1;
  const rows = answers
    .flatMap((answer) =>
      answer.items.map((item) => {
        const status = statusOf(item);
        const findings = item.findings
          .filter((f) => f.severity !== 'info')
          .map((f) => `<li class="${f.severity}">${escapeHtml(f.message)}</li>`)
          .join('');
        const evidence = item.evidence
          .map((e, i) => `<a href="#" data-reveal="${escapeHtml(item.id)}" data-evidence="${i}">“${escapeHtml(e.text)}”</a>`)
          .join('<br>');
        return `<tr data-uri="${escapeHtml(answer.uri)}" data-encounter="${escapeHtml(nameOf(answer.uri))}" data-status="${status}" data-code="${escapeHtml(item.code)}" data-confidence="${item.confidence}">
  <td><input type="checkbox" class="pick" value="${escapeHtml(item.id)}" aria-label="select ${escapeHtml(item.code)}"></td>${many ? `\n  <td>${escapeHtml(nameOf(answer.uri))}</td>` : ''}
  <td><b>${escapeHtml(item.code)}</b> ${escapeHtml(item.display)}</td>
  <td>${Math.round(item.confidence * 100)}%</td>
  <td>${evidence}</td>
  <td>${findings ? `<ul>${findings}</ul>` : ''}</td>
  <td class="status">${status}${item.decision?.reason ? ` (${escapeHtml(item.decision.reason)})` : ''}</td>
</tr>`;
      }),
    )
    .join('\n');
  const degraded = [...new Set(answers.flatMap((a) => a.degradations))].map((d) => `<li>${escapeHtml(d)}</li>`).join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid var(--vscode-editorWidget-border); }
  th { cursor: pointer; }
  tr[data-status="accepted"] .status { color: var(--vscode-testing-iconPassed); }
  tr[data-status="rejected"] { opacity: 0.6; }
  li.warning, li.error { color: var(--vscode-editorWarning-foreground); }
</style>
</head>
<body>
<h2>${escapeHtml(title)}</h2>
${degraded ? `<ul class="degraded">${degraded}</ul>` : ''}
<p>
  <button id="accept">Accept selected</button>
  <button id="reject">Reject selected</button>
  <input id="reason" placeholder="reason for rejecting" aria-label="reason for rejecting">
  <button id="csv">Export CSV</button>
  <button id="claim">Export FHIR Claim</button>
</p>
<table>
<thead><tr><th><input type="checkbox" id="all" aria-label="select all"></th>${many ? '<th data-sort="encounter">Encounter</th>' : ''}<th data-sort="code">Code</th><th data-sort="confidence">Confidence</th><th>Evidence</th><th>Rule findings</th><th data-sort="status">Status</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<script nonce="${nonce}">
  const vscode = acquireVsCodeApi();
  const uris = ${JSON.stringify(answers.map((a) => a.uri)).replace(/</g, '\\u003c')};
  const decide = (action) => {
    const reason = action === 'reject' && document.getElementById('reason').value ? { reason: document.getElementById('reason').value } : {};
    for (const uri of uris) {
      const ids = [...document.querySelectorAll('.pick:checked')].filter((box) => box.closest('tr').dataset.uri === uri).map((box) => box.value);
      if (ids.length) vscode.postMessage({ type: 'decide', uri, ids, action, ...reason });
    }
  };
  document.getElementById('accept').addEventListener('click', () => decide('accept'));
  document.getElementById('reject').addEventListener('click', () => decide('reject'));
  document.getElementById('csv').addEventListener('click', () => vscode.postMessage({ type: 'export', uris, format: 'csv' }));
  document.getElementById('claim').addEventListener('click', () => vscode.postMessage({ type: 'export', uris, format: 'claim' }));
  document.getElementById('all').addEventListener('change', (e) => document.querySelectorAll('.pick').forEach((box) => { box.checked = e.target.checked; }));
  document.querySelectorAll('a[data-reveal]').forEach((a) => a.addEventListener('click', (e) => {
    e.preventDefault();
    vscode.postMessage({ type: 'reveal', uri: a.closest('tr').dataset.uri, id: a.dataset.reveal, evidence: Number(a.dataset.evidence) });
  }));
  document.querySelectorAll('th[data-sort]').forEach((th) => th.addEventListener('click', () => {
    const key = th.dataset.sort;
    const body = document.querySelector('tbody');
    const rows = [...body.rows].sort((a, b) => key === 'confidence' ? Number(b.dataset.confidence) - Number(a.dataset.confidence) : a.dataset[key].localeCompare(b.dataset[key]));
    rows.forEach((row) => body.appendChild(row));
  }));
  vscode.postMessage({ type: 'ready' });
</script>
</body>
</html>`;
}
