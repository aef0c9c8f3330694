// Dashboard: Summarize by department and by state, as tables and bar charts, and the warnings
// of the latest monitoring round.
import { call } from './api.js';
import { barChart, errorBox, h, lineLink, table } from './dom.js';
import { enumName, fen, percent, when, yuan } from './format.js';

function totals(groups) {
  const sum = (field) => groups.reduce((acc, g) => acc + fen(g[field]), 0n);
  return {
    lines: sum('lines'),
    escalated: sum('escalated'),
    requested: sum('requested_amount'),
    approved: sum('approved_amount'),
    spent: sum('spent_amount'),
  };
}

function summaryTable(title, groups, testId) {
  const t = totals(groups);
  const columns = [
    { title, cell: (g) => g.key || '(none)' },
    { title: 'Lines', num: true, cell: (g) => String(g.lines) },
    { title: 'Escalated', num: true, cell: (g) => String(g.escalated) },
    { title: 'Requested (yuan)', num: true, cell: (g) => yuan(g.requested_amount) },
    { title: 'Approved (yuan)', num: true, cell: (g) => yuan(g.approved_amount) },
    { title: 'Spent (yuan)', num: true, cell: (g) => yuan(g.spent_amount) },
    { title: 'Waiting longest', cell: (g) => (g.oldest?.line_id ? [lineLink(g.oldest.line_id), ` since ${when(g.oldest.state_entered_at)}`] : '') },
  ];
  const total = [
    'Total',
    h('span', { 'data-total': 'lines' }, String(t.lines)),
    h('span', { 'data-total': 'escalated' }, String(t.escalated)),
    h('span', { 'data-total': 'requested' }, yuan(t.requested)),
    h('span', { 'data-total': 'approved' }, yuan(t.approved)),
    h('span', { 'data-total': 'spent' }, yuan(t.spent)),
    '',
  ];
  return table(columns, groups, total, { 'data-summary': testId });
}

// The latest monitoring round the caller may read (reports come oldest first).
async function latestRound(fiscalYear) {
  let latest = null;
  let pageToken = '';
  do {
    const page = await call('Query/ListReports', {
      fiscal_year: fiscalYear,
      kind: 'monitoring',
      page_size: 500,
      page_token: pageToken,
    });
    if (page.reports.length > 0) latest = page.reports[page.reports.length - 1];
    pageToken = page.next_page_token;
  } while (pageToken);
  if (!latest) return null;
  const report = await call('Query/GetReport', { report_id: latest.id });
  return { summary: latest, round: report.monitoring };
}

async function warningsSection(fiscalYear) {
  const section = h('section', {}, h('h2', {}, 'Warnings of the latest monitoring round'));
  let latest;
  try {
    latest = await latestRound(fiscalYear);
  } catch (error) {
    section.append(errorBox(error));
    return section;
  }
  if (!latest) {
    section.append(h('p', { class: 'muted' }, 'No monitoring round yet.'));
    return section;
  }
  const warned = latest.round.lines.filter((l) => ['WARNING_LEVEL_YELLOW', 'WARNING_LEVEL_RED'].includes(l.result.level));
  section.append(
    h('p', { class: 'muted' }, `Round ${latest.summary.request_id} as of ${latest.round.as_of}, run ${when(latest.summary.at)} by ${latest.summary.actor}: ${latest.round.lines.length} lines judged, ${warned.length} warned.`),
  );
  if (warned.length > 0)
    section.append(
      table(
        [
          { title: 'Line', cell: (l) => lineLink(l.line_id) },
          { title: 'Department', cell: (l) => l.department },
          { title: 'Level', cell: (l) => { const level = enumName(l.result.level, 'WARNING_LEVEL_'); return h('span', { class: `level-${level}` }, level + (l.recheck ? ' (re-check)' : '')); } },
          { title: 'Execution', num: true, cell: (l) => percent(l.result.execution_rate_bp) },
          { title: 'Time progress', num: true, cell: (l) => percent(l.result.time_progress_bp) },
          { title: 'Approved (yuan)', num: true, cell: (l) => yuan(l.approved) },
          { title: 'Spent (yuan)', num: true, cell: (l) => yuan(l.spent) },
          { title: 'Reasons', cell: (l) => l.result.reasons.join('; ') },
        ],
        warned,
        null,
        { 'data-warnings': '' },
      ),
    );
  return section;
}

export async function dashboard(main, args, params) {
  const fiscalYear = Number(params.get('year') || 0);
  const [byDepartment, byState] = await Promise.all([
    call('Query/Summarize', { group_by: 'SUMMARY_GROUPING_DEPARTMENT', fiscal_year: fiscalYear }),
    call('Query/Summarize', { group_by: 'SUMMARY_GROUPING_STATE', fiscal_year: fiscalYear }),
  ]);
  const yearField = h('input', { name: 'year', type: 'number', min: 2000, max: 2100, value: fiscalYear || '', placeholder: 'any' });
  const filters = h(
    'form',
    { class: 'filters', onsubmit: (event) => { event.preventDefault(); location.hash = yearField.value ? `#/dashboard?year=${yearField.value}` : '#/dashboard'; } },
    h('label', {}, 'Fiscal year', yearField),
    h('button', { type: 'submit' }, 'Show'),
  );
  const departments = byDepartment.groups;
  const states = byState.groups;
  main.replaceChildren(
    h('h1', {}, fiscalYear ? `Dashboard — fiscal year ${fiscalYear}` : 'Dashboard — every fiscal year'),
    filters,
    h('p', { class: 'muted' }, `As of ${when(byDepartment.as_of)}.`),
    h('h2', {}, 'By department'),
    h('div', { class: 'legend' }, h('span', { class: 'requested' }, 'requested'), h('span', { class: 'approved' }, 'approved'), h('span', { class: 'spent' }, 'spent')),
    barChart(departments, (g) => g.key || '(none)', [
      { name: 'requested', value: (g) => fen(g.requested_amount), text: (g) => yuan(g.requested_amount) },
      { name: 'approved', value: (g) => fen(g.approved_amount), text: (g) => yuan(g.approved_amount) },
      { name: 'spent', value: (g) => fen(g.spent_amount), text: (g) => yuan(g.spent_amount) },
    ]),
    summaryTable('Department', departments, 'department'),
    h('h2', {}, 'By state'),
    barChart(states, (g) => g.key || '(none)', [{ name: 'lines', value: (g) => Number(g.lines), text: (g) => `${g.lines} lines` }]),
    summaryTable('State', states, 'state'),
    await warningsSection(fiscalYear),
  );
}
