// The console's shell: sign-in, navigation between pages (#/page/arg?filters), and the bureau's
// time zone. Every page reads zbbd through api.js with the token signed in with.
import { call, forgetToken, keepToken, onSignedOut, token } from './api.js';
import { dashboard } from './dashboard.js';
import { errorBox, h } from './dom.js';
import { exports } from './exports.js';
import { setTimeZone } from './format.js';
import { line } from './line.js';
import { queue } from './queue.js';
import { ranking } from './ranking.js';
import { stuck } from './stuck.js';

const PAGES = { dashboard, stuck, line, queue, ranking, exports };
const main = () => document.getElementById('main');
let signInReason = '';
let rendering = 0;

function showSignIn() {
  document.getElementById('nav').hidden = true;
  const tokenField = h('input', { name: 'token', type: 'password', autocomplete: 'off', required: true, 'aria-label': 'token' });
  const form = h(
    'form',
    {
      class: 'stacked',
      'data-sign-in': '',
      onsubmit: async (event) => {
        event.preventDefault();
        keepToken(tokenField.value.trim());
        signInReason = '';
        try {
          // Any call tells whether zbbd knows the token; a listing of one line costs least.
          await call('Query/ListLines', { page_size: 1 });
        } catch (error) {
          if (error.httpStatus !== 401) signInReason = error.message;
          if (!token()) return;  // signed out by the 401: the sign-in page shows its reason
        }
        if (!location.hash || location.hash === '#/' || location.hash === '#/sign-in') location.hash = '#/dashboard';
        else render();
      },
    },
    h('label', {}, 'Token', tokenField),
    h('button', { type: 'submit' }, 'Sign in'),
  );
  main().replaceChildren(
    h('h1', {}, 'Sign in'),
    h('p', { class: 'muted' }, 'Your zbb token, as your bureau issued it. It is kept in this tab only and sent with each request.'),
    signInReason && errorBox({ message: signInReason, code: 'UNAUTHENTICATED' }),
    form,
  );
  tokenField.focus();
}

async function render() {
  if (!token()) return showSignIn();
  document.getElementById('nav').hidden = false;
  const [path, query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  let page;
  let args;
  try {
    [page = 'dashboard', ...args] = path.split('/').map(decodeURIComponent);
  } catch {
    [page, args] = ['dashboard', []];  // a link cut in the middle of an escape
  }
  const show = Object.hasOwn(PAGES, page) ? PAGES[page] : dashboard;
  for (const link of document.querySelectorAll('#nav a'))
    link.classList.toggle('current', link.getAttribute('href') === `#/${page}`);
  const mine = ++rendering;
  const view = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  main().replaceChildren(view);
  try {
    await show(view, args, new URLSearchParams(query));
  } catch (error) {
    if (!token()) return;  // signed out: the sign-in page is showing
    if (mine === rendering) view.replaceChildren(errorBox(error));
  }
}

onSignedOut((reason) => {
  signInReason = reason;
  showSignIn();
});

document.getElementById('sign-out').addEventListener('click', () => {
  forgetToken();
  signInReason = '';
  location.hash = '#/sign-in';
  showSignIn();
});
window.addEventListener('hashchange', render);

fetch('/console.json')
  .then((response) => response.json())
  .then((config) => setTimeZone(config.time_zone))
  .catch(() => {})
  .finally(render);
