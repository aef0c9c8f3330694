// Ranking what-if: a department's lines awaiting ranking, an envelope to try, the funded and cut
// packages previewed with RankDepartment's dry_run (nothing written), then applied at the
// versions the preview read (expected_versions): a line changed since refuses the whole ranking.
import { call, freshRequestId } from './api.js';
import { errorBox, h, lineLink, notice, table } from './dom.js';
import { enumName, fen, parseYuan, yuan } from './format.js';

function rankingTables(result) {
  const packages = table(
    [
      { title: 'Rank', num: true, cell: (p) => String(p.rank) },
      { title: 'Line', cell: (p) => lineLink(p.line_id) },
      { title: 'Package', cell: (p) => enumName(p.level, 'INCREMENT_LEVEL_') },
      { title: 'Amount (yuan)', num: true, cell: (p) => yuan(p.amount) },
      { title: 'Score', num: true, cell: (p) => (Number(p.score_hundredths) / 100).toFixed(2) },
      { title: 'Funded', cell: (p) => (p.funded ? 'funded' : 'cut') },
    ],
    result.packages,
    null,
    { 'data-packages': '' },
  );
  const lines = table(
    [
      { title: 'Rank', num: true, cell: (l) => String(l.rank) },
      { title: 'Line', cell: (l) => lineLink(l.line_id) },
      { title: 'Requested (yuan)', num: true, cell: (l) => yuan(l.requested) },
      { title: 'Funded (yuan)', num: true, cell: (l) => yuan(l.funded) },
      { title: 'Version read', num: true, cell: (l) => String(l.version) },
    ],
    result.lines,
  );
  const cut = result.cut?.line_id
    ? `Cut at package ${result.cut.rank}: ${result.cut.line_id} ${enumName(result.cut.level, 'INCREMENT_LEVEL_')} (${yuan(result.cut.amount)} yuan).`
    : 'Every package fits: no cut.';
  return h(
    'div',
    {},
    h('p', { 'data-totals': '' }, `Envelope ${yuan(result.envelope)} yuan: funded `, h('strong', { 'data-funded': '' }, yuan(result.funded_total)), `, unfunded ${yuan(result.unfunded_total)}, unallocated ${yuan(result.unallocated)}. ${cut}`),
    lines,
    packages,
  );
}

export async function ranking(main, args, params) {
  const fiscalYear = Number(params.get('year') || 0);
  const department = params.get('department') || '';
  const yearField = h('input', { name: 'year', type: 'number', min: 2000, max: 2100, value: fiscalYear || '', required: true });
  const departmentField = h('input', { name: 'department', value: department, required: true });
  const form = h(
    'form',
    { class: 'filters', onsubmit: (event) => { event.preventDefault(); location.hash = `#/ranking?${new URLSearchParams({ year: yearField.value, department: departmentField.value })}`; } },
    h('label', {}, 'Fiscal year', yearField),
    h('label', {}, 'Department', departmentField),
    h('button', { type: 'submit' }, 'Show lines'),
  );
  main.replaceChildren(h('h1', {}, 'Ranking what-if'), form);
  if (!fiscalYear || !department) {
    main.append(h('p', { class: 'muted' }, 'Name a fiscal year and a department.'));
    return;
  }

  const awaiting = [];
  let pageToken = '';
  do {
    const page = await call('Query/ListLines', { fiscal_year: fiscalYear, department, state: 'ranking.awaiting_ranking', page_size: 500, page_token: pageToken });
    awaiting.push(...page.lines);
    pageToken = page.next_page_token;
  } while (pageToken);
  if (awaiting.length === 0) {
    main.append(h('p', { 'data-empty': '' }, `No line of ${department} awaits ranking in ${fiscalYear}.`));
    return;
  }
  const requested = awaiting.reduce((sum, l) => sum + fen(l.content?.requested_amount), 0n);
  main.append(
    h('h2', {}, `${awaiting.length} lines awaiting ranking, ${yuan(requested)} yuan requested`),
    table(
      [
        { title: 'Line', cell: (l) => lineLink(l.id) },
        { title: 'Title', cell: (l) => l.content?.title ?? '' },
        { title: 'Score', num: true, cell: (l) => (l.priority ? (Number(l.priority.score_hundredths) / 100).toFixed(2) : 'not scored') },
        { title: 'Requested (yuan)', num: true, cell: (l) => yuan(l.content?.requested_amount) },
        { title: 'Version', num: true, cell: (l) => String(l.version) },
      ],
      awaiting,
    ),
  );

  // The slider moves in whole yuan; the field takes fen too.
  const maxYuan = Number(requested / 100n);
  const slider = h('input', { type: 'range', name: 'envelope-slider', min: 0, max: maxYuan, step: Math.max(1, Math.round(maxYuan / 200)), value: Math.round(maxYuan * 0.8), 'aria-label': 'envelope' });
  const field = h('input', { name: 'envelope', value: String(Math.round(maxYuan * 0.8)), 'aria-label': 'envelope in yuan' });
  const outcome = h('div', { 'data-outcome': '' });
  const preview = h('div', { 'data-preview': '' });
  const apply = h('button', { type: 'button', 'data-apply': '', disabled: true }, 'Apply this ranking');
  let previewed = null;
  // Each preview asked for gets a number: only the latest one asked is shown and may be
  // applied, whatever order the answers come back in.
  let asked = 0;
  const forgetPreview = () => {
    asked += 1;
    previewed = null;
    apply.disabled = true;
  };

  const runPreview = async () => {
    forgetPreview();
    const mine = asked;
    outcome.replaceChildren();
    const envelope = parseYuan(field.value);
    if (envelope === null) {
      outcome.replaceChildren(errorBox({ message: `"${field.value}" is not an amount in yuan`, code: 'INVALID_ARGUMENT', field: 'envelope' }));
      return;
    }
    try {
      const result = await call('Workflow/RankDepartment', { request_id: freshRequestId('preview'), fiscal_year: fiscalYear, department, envelope, dry_run: true });
      if (mine !== asked) return;
      previewed = result;
      apply.disabled = false;
      preview.replaceChildren(h('h2', {}, 'Preview — nothing written'), rankingTables(result));
    } catch (error) {
      if (mine !== asked) return;
      preview.replaceChildren(errorBox(error));
    }
  };
  // A changed envelope is no longer the one previewed: apply waits for its preview.
  slider.addEventListener('input', () => { field.value = slider.value; forgetPreview(); });
  slider.addEventListener('change', runPreview);
  field.addEventListener('input', () => { slider.value = field.value.replace(/,/g, ''); forgetPreview(); });
  apply.addEventListener('click', async () => {
    if (!previewed) return;
    const chosen = previewed;
    const expected = {};
    for (const l of chosen.lines) expected[l.line_id] = String(l.version);
    forgetPreview();
    try {
      const result = await call('Workflow/RankDepartment', { request_id: freshRequestId('ranking'), fiscal_year: fiscalYear, department, envelope: chosen.envelope, expected_versions: expected });
      preview.replaceChildren(h('h2', {}, `Applied: ranking ${result.ranking_id}`), rankingTables(result));
      outcome.replaceChildren(notice(`Ranked and funded ${result.lines.length} lines at the versions previewed.`));
    } catch (error) {
      outcome.replaceChildren(errorBox(error));
    }
  });
  main.append(
    h('h2', {}, 'Envelope'),
    h('form', { class: 'filters', onsubmit: (event) => { event.preventDefault(); runPreview(); } },
      h('label', {}, 'Slide (yuan)', slider),
      h('label', {}, 'or type (yuan)', field),
      h('button', { type: 'submit', 'data-preview-button': '' }, 'Preview'),
      apply),
    outcome,
    preview,
  );
}
