// Stuck lines: FindStuck with its filters, most overdue first (or longest waiting, with a
// minimum age), a page at a time.
import { call } from './api.js';
import { h, lineLink, table } from './dom.js';
import { duration, when, yuan } from './format.js';

const FILTERS = ['year', 'department', 'state', 'waiting_on', 'min_age_days'];

export async function stuck(main, args, params) {
  const request = {
    fiscal_year: Number(params.get('year') || 0),
    department: params.get('department') || '',
    state: params.get('state') || '',
    waiting_on: params.get('waiting_on') || '',
    page_size: Number(params.get('page_size') || 20),
    page_token: params.get('page_token') || '',
  };
  const minAgeDays = params.get('min_age_days');
  if (minAgeDays) request.min_age = `${Number(minAgeDays) * 86400}s`;
  const found = await call('Query/FindStuck', request);

  const fields = {};
  for (const name of FILTERS) fields[name] = h('input', { name, value: params.get(name) || '' });
  fields.year.type = 'number';
  fields.min_age_days.type = 'number';
  // A new search from the form's fields; another page of the search shown.
  const search = () => {
    const next = new URLSearchParams();
    for (const name of FILTERS) if (fields[name].value) next.set(name, fields[name].value);
    location.hash = `#/stuck?${next}`;
  };
  const page = (token) => {
    const next = new URLSearchParams(params);
    if (token) next.set('page_token', token);
    else next.delete('page_token');
    location.hash = `#/stuck?${next}`;
  };
  const form = h(
    'form',
    { class: 'filters', onsubmit: (event) => { event.preventDefault(); search(); } },
    h('label', {}, 'Fiscal year', fields.year),
    h('label', {}, 'Department', fields.department),
    h('label', {}, 'State', fields.state),
    h('label', {}, 'Waiting on', fields.waiting_on),
    h('label', {}, 'In state at least (days)', fields.min_age_days),
    h('button', { type: 'submit' }, 'Find'),
  );
  const lines = found.lines;
  main.replaceChildren(
    h('h1', {}, 'Stuck lines'),
    form,
    h('p', { class: 'muted' }, minAgeDays ? `Lines in their state for at least ${minAgeDays} days, longest waiting first` : 'Lines past their due time, most overdue first', `, as of ${when(found.as_of)}.`),
    lines.length === 0
      ? h('p', { 'data-empty': '' }, 'No line is stuck.')
      : table(
          [
            { title: 'Line', cell: (l) => lineLink(l.line_id) },
            { title: 'Year', cell: (l) => String(l.fiscal_year) },
            { title: 'Department', cell: (l) => l.department },
            { title: 'State', cell: (l) => l.state },
            { title: 'Waiting on', cell: (l) => l.waiting_on },
            { title: 'Waiting', num: true, cell: (l) => duration(l.waiting) },
            { title: 'Overdue', num: true, cell: (l) => duration(l.overdue) },
            { title: 'Due', cell: (l) => when(l.due_at) },
            { title: 'Requested (yuan)', num: true, cell: (l) => yuan(l.requested_amount) },
            { title: 'Approved (yuan)', num: true, cell: (l) => yuan(l.approved_amount) },
            { title: 'Escalated', cell: (l) => (l.escalated ? 'yes' : '') },
          ],
          lines,
          null,
          { 'data-stuck': '' },
        ),
    h(
      'div',
      { class: 'pager' },
      request.page_token && h('button', { type: 'button', onclick: () => page('') }, 'First page'),
      found.next_page_token && h('button', { type: 'button', 'data-next': '', onclick: () => page(found.next_page_token) }, 'Next page'),
    ),
  );
}
