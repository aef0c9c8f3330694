// Exports: the disclosure tables (预决算公开, 绩效目标公开) as CSV or XLSX files, made by zbbd's
// ExportDisclosure — the same files as `zbbctl export` — and handed to the browser to save.
import { call } from './api.js';
import { errorBox, h, notice } from './dom.js';

const TABLES = [
  ['DISCLOSURE_TABLE_LINES', 'lines', 'Lines with a budget'],
  ['DISCLOSURE_TABLE_RANKING', 'ranking', 'Latest ranking'],
  ['DISCLOSURE_TABLE_MONITORING', 'monitoring', 'Latest monitoring round'],
  ['DISCLOSURE_TABLE_EVALUATION', 'evaluation', 'Evaluations'],
];

// protobuf's JSON mapping sends bytes as base64.
function bytesOf(base64) {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function save(file) {
  const url = URL.createObjectURL(new Blob([bytesOf(file.content)], { type: file.content_type }));
  const link = h('a', { href: url, download: file.file_name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

export async function exports(main, args, params) {
  const yearField = h('input', { name: 'year', type: 'number', min: 2000, max: 2100, value: params.get('year') || '', required: true });
  const departmentField = h('input', { name: 'department', value: params.get('department') || '', placeholder: 'every department' });
  const outcome = h('div', { 'data-outcome': '' });
  const download = async (table, format) => {
    outcome.replaceChildren();
    try {
      const file = await call('Query/ExportDisclosure', {
        table,
        fiscal_year: Number(yearField.value),
        department: departmentField.value,
        format,
      });
      save(file);
      outcome.replaceChildren(notice(`${file.file_name}: ${file.rows} rows (${file.columns.join(', ')}).`));
    } catch (error) {
      outcome.replaceChildren(errorBox(error));
    }
  };
  main.replaceChildren(
    h('h1', {}, 'Exports for disclosure'),
    h('p', { class: 'muted' }, 'Each table with its own columns and the line columns your policy names public; CSV is UTF-8 with a byte-order mark, for spreadsheets.'),
    h('form', { class: 'filters', onsubmit: (event) => event.preventDefault() },
      h('label', {}, 'Fiscal year', yearField),
      h('label', {}, 'Department', departmentField)),
    h('table', {},
      h('tbody', {}, TABLES.map(([table, key, label]) =>
        h('tr', {},
          h('th', {}, label),
          h('td', {}, h('button', { type: 'button', 'data-export': `${key}-csv`, onclick: () => download(table, 'EXPORT_FORMAT_CSV') }, 'CSV')),
          h('td', {}, h('button', { type: 'button', 'data-export': `${key}-xlsx`, onclick: () => download(table, 'EXPORT_FORMAT_XLSX') }, 'XLSX')))))),
    outcome,
  );
}
