// A line: every field, its history as a timeline, and whether its audit chain holds.
import { call } from './api.js';
import { errorBox, h } from './dom.js';
import { instantOf, when, yuan } from './format.js';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

// A field's value as text: amounts (fen) also in yuan, instants in the bureau's time zone.
function valueText(name, value) {
  if (typeof value === 'string' && INSTANT.test(value)) return `${when(value)} (${value})`;
  if (/(amount|^approved|^spent|^unspent|^requested|^funded)$/.test(name) && /^-?\d+$/.test(String(value)))
    return `${yuan(value)} yuan`;
  return String(value);
}

// Every field of a message in protobuf's JSON mapping, nested messages within.
function fields(message) {
  const list = h('dl', { class: 'fields' });
  for (const [name, value] of Object.entries(message)) {
    list.append(h('dt', {}, name));
    if (Array.isArray(value)) {
      list.append(
        h('dd', {}, value.length === 0 ? '—' : value.map((item, i) =>
          item !== null && typeof item === 'object' ? h('div', {}, h('span', { class: 'muted' }, `[${i}]`), fields(item)) : h('div', {}, valueText(name, item)))),
      );
    } else if (value !== null && typeof value === 'object') {
      list.append(h('dd', {}, Object.keys(value).length === 0 ? '—' : fields(value)));
    } else {
      list.append(h('dd', {}, valueText(name, value)));
    }
  }
  return list;
}

function timeline(events) {
  return h(
    'ol',
    { class: 'timeline', 'data-history': '' },
    events.map((event) => {
      let payload = event.payload_json;
      try {
        payload = JSON.stringify(JSON.parse(event.payload_json), null, 2);
      } catch {
        // shown as stored
      }
      return h(
        'li',
        { 'data-event-type': event.type },
        h('div', { class: 'when' }, `${when(event.at)} · version ${event.line_sequence} · sequence ${event.sequence}`),
        h('div', {}, h('strong', {}, event.type), ` by ${event.actor}: ${event.from_state || '—'} → ${event.to_state}`),
        h('div', { class: 'muted' }, `request ${event.request_id}`),
        h('details', {}, h('summary', {}, 'payload'), h('pre', {}, payload)),
      );
    }),
  );
}

async function auditSection(lineId) {
  const section = h('section', {}, h('h2', {}, 'Audit verification'));
  try {
    const audit = await call('Query/VerifyAudit', { line_id: lineId });
    section.append(
      audit.intact
        ? h('p', { class: 'audit-intact', 'data-audit': 'intact' }, `Intact: ${audit.events_checked} events checked, each chained to the one before.`)
        : h('p', { class: 'audit-broken', 'data-audit': 'broken' }, `Broken at version ${audit.broken_line_sequence} (sequence ${audit.broken_sequence}): ${audit.reason}`),
    );
  } catch (error) {
    section.append(errorBox(error));
  }
  return section;
}

// The form that shows the line as it stood at a time, in the bureau's time zone.
function asOfForm(lineId, asOfText) {
  const field = h('input', { name: 'as_of', value: asOfText, placeholder: 'YYYY-MM-DD HH:MM', 'aria-label': 'as of' });
  const link = `#/line/${encodeURIComponent(lineId)}`;
  return h(
    'form',
    { class: 'filters', onsubmit: (event) => { event.preventDefault(); location.hash = field.value.trim() ? `${link}?${new URLSearchParams({ as_of: field.value.trim() })}` : link; } },
    h('label', {}, 'As it stood at', field),
    h('button', { type: 'submit' }, 'Show'),
    asOfText && h('a', { href: link }, 'as it is now'),
  );
}

export async function line(main, args, params) {
  const lineId = args[0] || '';
  const asOfText = params.get('as_of') || '';
  const request = { line_id: lineId };
  if (asOfText) {
    const instant = instantOf(asOfText);
    if (!instant) {
      main.replaceChildren(h('h1', {}, lineId), asOfForm(lineId, asOfText),
        errorBox({ message: `"${asOfText}" is not a time of the bureau's calendar: YYYY-MM-DD HH:MM`, code: 'INVALID_ARGUMENT', field: 'as_of' }));
      return;
    }
    request.as_of = instant;
  }
  let found;
  let history;
  try {
    [found, history] = await Promise.all([
      call('Query/GetLine', request),
      call('Query/GetHistory', { line_id: lineId }),
    ]);
  } catch (error) {
    // The form stays, for another time to be asked.
    main.replaceChildren(h('h1', {}, lineId), asOfForm(lineId, asOfText), errorBox(error));
    return;
  }
  const budgetLine = found.line;
  // As of a time: the events up to the version the line then had.
  const events = history.events.filter((e) => BigInt(e.line_sequence) <= BigInt(budgetLine.version));
  main.replaceChildren(
    h('h1', {}, `${budgetLine.id} — ${budgetLine.content?.title ?? ''}`),
    asOfForm(lineId, asOfText),
    asOfText && h('p', { class: 'notice', 'data-as-of': request.as_of }, `As it stood at ${when(request.as_of)} (${request.as_of}).`),
    h('p', {}, `State `, h('strong', { 'data-state': '' }, budgetLine.state), `, version `, h('strong', { 'data-version': '' }, String(budgetLine.version)), budgetLine.waiting_on ? `, waiting on ${budgetLine.waiting_on}` : ''),
    await auditSection(lineId),
    h('h2', {}, `History (${events.length} events)`),
    timeline(events),
    h('h2', {}, 'Every field'),
    fields(budgetLine),
  );
}
