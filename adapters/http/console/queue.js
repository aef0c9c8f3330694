// My queue: the lines waiting on the caller's roles. A line awaiting the caller's decision is
// approved, returned or rejected here through the same PushEvent as any client: a fresh request
// id per click, at the version shown, and a refusal shown as zbbd words it.
import { call, freshRequestId } from './api.js';
import { errorBox, h, lineLink, notice, table } from './dom.js';
import { parseYuan, yuan } from './format.js';

const DECISIONS = [
  ['DECISION_APPROVE', 'Approve', 'approved'],
  ['DECISION_RETURN', 'Return', 'returned'],
  ['DECISION_REJECT', 'Reject', 'rejected'],
];

// The event a decision sends, or null when the line's state takes no decision.
function decisionEvent(budgetLine, decision, amountText, comment) {
  if (budgetLine.state === 'approval.awaiting_decision') {
    const decide = { decision, comment };
    if (decision === 'DECISION_APPROVE' && amountText.trim() !== '') {
      const amount = parseYuan(amountText);
      if (amount === null) throw Object.assign(new Error(`"${amountText}" is not an amount in yuan`), { code: 'INVALID_ARGUMENT', field: 'amount' });
      decide.amount = amount;
    }
    return { decide };
  }
  if (budgetLine.state === 'adjustment.proposed' && decision !== 'DECISION_RETURN')
    return { decide_adjustment: { decision, comment } };
  return null;
}

function decisionCell(budgetLine, outcome, reload) {
  const canDecide = budgetLine.state === 'approval.awaiting_decision' || budgetLine.state === 'adjustment.proposed';
  if (!canDecide) return h('a', { href: `#/line/${encodeURIComponent(budgetLine.id)}` }, 'open');
  const amount = budgetLine.state === 'approval.awaiting_decision'
    ? h('input', { class: 'amount', name: 'amount', placeholder: 'amount, yuan (all)', 'aria-label': 'amount in yuan' })
    : null;
  const comment = h('input', { class: 'comment', name: 'comment', placeholder: 'comment', 'aria-label': 'comment' });
  const buttons = DECISIONS.filter(([d]) => budgetLine.state === 'approval.awaiting_decision' || d !== 'DECISION_RETURN').map(([decision, label, done]) =>
    h('button', {
      type: 'button',
      'data-decision': decision,
      onclick: async () => {
        outcome.replaceChildren();
        try {
          const event = decisionEvent(budgetLine, decision, amount ? amount.value : '', comment.value);
          const answer = await call('Workflow/PushEvent', {
            request_id: freshRequestId('console'),
            line_id: budgetLine.id,
            expected_version: String(budgetLine.version),
            event,
          });
          await reload();
          outcome.replaceChildren(notice(`${budgetLine.id}: ${done}; now ${answer.state} at version ${answer.version}.`));
        } catch (error) {
          outcome.replaceChildren(errorBox(error));
        }
      },
    }, label),
  );
  return h('div', { class: 'decision', 'data-line': budgetLine.id }, amount, comment, buttons);
}

export async function queue(main) {
  const outcome = h('div', { 'data-outcome': '' });
  const listing = h('div');
  const reload = async () => {
    const lines = [];
    let pageToken = '';
    do {
      const page = await call('Query/ListLines', { waiting_on_me: true, page_size: 500, page_token: pageToken });
      lines.push(...page.lines);
      pageToken = page.next_page_token;
    } while (pageToken);
    listing.replaceChildren(
      lines.length === 0
        ? h('p', { 'data-empty': '' }, 'Nothing waits on you.')
        : table(
            [
              { title: 'Line', cell: (l) => lineLink(l.id) },
              { title: 'Title', cell: (l) => l.content?.title ?? '' },
              { title: 'Department', cell: (l) => l.content?.department ?? '' },
              { title: 'State', cell: (l) => l.state },
              { title: 'Waiting on', cell: (l) => l.waiting_on },
              { title: 'Version', num: true, cell: (l) => String(l.version) },
              { title: 'Requested (yuan)', num: true, cell: (l) => yuan(l.content?.requested_amount) },
              { title: 'Funded (yuan)', num: true, cell: (l) => yuan(l.funded_amount) },
              { title: 'Approved (yuan)', num: true, cell: (l) => yuan(l.approved_amount) },
              { title: 'Decision', cell: (l) => decisionCell(l, outcome, reload) },
            ],
            lines,
            null,
            { 'data-queue': '' },
          ),
    );
  };
  await reload();
  main.replaceChildren(h('h1', {}, 'My queue'), h('p', { class: 'muted' }, 'Lines waiting on your roles; each decision is sent at the version shown.'), outcome, listing);
}
