// Drives the zbb console in Debian's chromium: a wrong token refused at sign-in, the dashboard's
// totals against Summarize's, a stuck line opened, a what-if ranking at two envelopes writing
// nothing and then applied, and an approval from the queue seen in the line's history. Writes a
// screenshot of each page. Usage: node console_test.mjs CONSOLE_URL WORK_DIR SCREENSHOT_DIR
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const [url, work, shots] = process.argv.slice(2);
const SUPERVISOR = 'demo-token-supervisor-lin';
const REVIEWER = 'demo-token-ranking-he';
const DEPARTMENT_HEAD = 'demo-token-approver-zhao';

// zbb's JSON gateway, for what the test checks beside the page.
async function api(method, request, token) {
  const response = await fetch(`${url}api/zbb.v1.${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(request),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(`${method}: HTTP ${response.status} ${body.message}`);
  return body;
}

// "1,234,567.89" (yuan) → fen.
function fenOf(text) {
  const match = /^(-?)([\d,]+)\.(\d\d)$/.exec(text.trim());
  assert.ok(match, `"${text}" is not an amount in yuan`);
  const fen = BigInt(match[2].replace(/,/g, '')) * 100n + BigInt(match[3]);
  return match[1] ? -fen : fen;
}

async function logState() {
  const audit = await api('Query/VerifyAudit', {}, SUPERVISOR);
  const reports = await api('Query/ListReports', { page_size: 500 }, SUPERVISOR);
  return { events: audit.events_checked, reports: reports.reports.length };
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
const pageErrors = [];
page.on('pageerror', (error) => pageErrors.push(error.message));
page.setDefaultTimeout(20000);

const shot = (name) => page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
async function signIn(token) {
  await page.waitForSelector('form[data-sign-in]');
  await page.fill('input[name=token]', token);
  await page.click('form[data-sign-in] button[type=submit]');
  await page.waitForSelector('#nav:not([hidden])');
}
async function signOut() {
  await page.click('#sign-out');
  await page.waitForSelector('form[data-sign-in]');
}
let steps = 0;
async function step(name, body) {
  process.stdout.write(`- ${name} … `);
  await body();
  steps += 1;
  console.log('ok');
}

try {
  await step('a wrong token gets the sign-in page with the reason', async () => {
    await page.goto(url);
    await signInRefused();
  });

  await step('the dashboard totals equal Summarize, Chinese text in a CJK font', async () => {
    await signIn(SUPERVISOR);
    await page.waitForSelector('[data-summary="department"] [data-total="lines"]');
    for (const by of ['department', 'state']) {
      const summary = JSON.parse(readFileSync(`${work}/summary-by-${by}.json`, 'utf8'));
      const sum = (field) => summary.groups.reduce((acc, g) => acc + BigInt(g[field]), 0n);
      const total = (name) => page.textContent(`[data-summary="${by}"] [data-total="${name}"]`);
      assert.ok(sum('lines') > 0n, 'the demo county has lines');
      assert.equal(BigInt(await total('lines')), sum('lines'), `lines by ${by}`);
      assert.equal(BigInt(await total('escalated')), sum('escalated'), `escalated by ${by}`);
      assert.equal(fenOf(await total('requested')), sum('requested_amount'), `requested by ${by}`);
      assert.equal(fenOf(await total('approved')), sum('approved_amount'), `approved by ${by}`);
      assert.equal(fenOf(await total('spent')), sum('spent_amount'), `spent by ${by}`);
      const rows = await page.$$eval(`[data-summary="${by}"] tbody tr:not(.total)`, (r) => r.length);
      assert.equal(rows, summary.groups.length, `one row per group by ${by}`);
    }
    assert.ok((await page.textContent('main')).includes('县交通运输局'));
    assert.ok(await page.evaluate(() => document.fonts.check('16px "Noto Sans CJK SC"', '县交通运输局')),
      'a CJK font renders the departments');
    await shot('dashboard');
  });

  await step('a stuck line, most overdue first, opened with its history and audit', async () => {
    await page.goto(`${url}#/stuck`);
    await page.waitForSelector('table[data-stuck] tbody tr');
    const overdue = await page.$$eval('table[data-stuck] tbody tr td:nth-child(7)', (cells) => cells.map((c) => c.textContent));
    assert.ok(overdue.length > 0);
    await shot('stuck');
    const first = await page.textContent('table[data-stuck] tbody tr:first-child td:first-child a');
    await page.click('table[data-stuck] tbody tr:first-child td:first-child a');
    await page.waitForSelector('[data-audit="intact"]');
    assert.equal(await page.textContent('h1').then((t) => t.split(' ')[0]), first);
    assert.ok((await page.$$('ol[data-history] li')).length > 0);
    await shot('line');
  });

  await step('a what-if ranking at two envelopes writes nothing, then is applied', async () => {
    await signOut();
    await signIn(REVIEWER);
    await page.goto(`${url}#/ranking?year=2027&department=${encodeURIComponent('县交通运输局')}`);
    await page.waitForSelector('input[name=envelope]');
    const before = await logState();
    const awaiting = (await api('Query/ListLines', { fiscal_year: 2027, department: '县交通运输局', state: 'ranking.awaiting_ranking' }, SUPERVISOR)).lines;
    assert.ok(awaiting.length > 0);

    const funded = [];
    for (const envelope of ['1,000,000', '1,800,000']) {
      const previous = await page.textContent('[data-preview]');
      await page.fill('input[name=envelope]', envelope);
      await page.click('button[data-preview-button]');
      await page.waitForFunction((p) => document.querySelector('[data-preview]').textContent !== p && document.querySelector('[data-preview] [data-funded]'), previous);
      assert.ok((await page.textContent('[data-preview] [data-totals]')).includes(`Envelope ${envelope}.00 yuan`));
      funded.push(fenOf(await page.textContent('[data-preview] [data-funded]')));
      if (funded.length === 1) await shot('ranking-preview');
    }
    assert.ok(funded[0] <= 100000000n && funded[1] > funded[0], `funded ${funded}`);
    assert.deepEqual(await logState(), before, 'a preview writes no event and no report');
    const still = (await api('Query/ListLines', { fiscal_year: 2027, department: '县交通运输局', state: 'ranking.awaiting_ranking' }, SUPERVISOR)).lines;
    assert.deepEqual(still.map((l) => [l.id, l.version]), awaiting.map((l) => [l.id, l.version]));

    await page.click('button[data-apply]');
    await page.waitForSelector('[data-outcome] .notice');
    const after = await logState();
    assert.equal(after.reports, before.reports + 1);
    assert.ok(BigInt(after.events) > BigInt(before.events));
    const left = (await api('Query/ListLines', { fiscal_year: 2027, department: '县交通运输局', state: 'ranking.awaiting_ranking' }, SUPERVISOR)).lines;
    assert.equal(left.length, 0, 'every line ranked');
    await shot('ranking-applied');
  });

  await step('an approval from the queue shows in the line\'s history', async () => {
    await signOut();
    await signIn(DEPARTMENT_HEAD);
    await page.goto(`${url}#/queue`);
    await page.waitForSelector('table[data-queue] .decision[data-line]');
    await shot('queue');
    const lineId = await page.getAttribute('table[data-queue] .decision[data-line]', 'data-line');
    const row = page.locator(`.decision[data-line="${lineId}"]`);
    await row.locator('input[name=comment]').fill('同意');
    await row.locator('button[data-decision="DECISION_APPROVE"]').click();
    await page.waitForSelector('[data-outcome] .notice');
    assert.ok((await page.textContent('[data-outcome]')).includes(lineId));
    await page.goto(`${url}#/line/${encodeURIComponent(lineId)}`);
    await page.waitForSelector('ol[data-history] li[data-event-type="decide"]');
    const decided = await page.textContent('ol[data-history] li[data-event-type="decide"]:last-child');
    assert.ok(decided.includes('zhao.dept_head'), decided);
    await shot('line-approved');

    // As it stood on 1 February (Shanghai time), before this run's ranking and approval.
    const current = BigInt(await page.textContent('[data-version]'));
    await page.fill('input[name=as_of]', '2028-02-01 00:00');
    await page.click('form:has(input[name=as_of]) button[type=submit]');
    await page.waitForSelector('[data-as-of="2028-01-31T16:00:00.000Z"]');
    const then = BigInt(await page.textContent('[data-version]'));
    assert.ok(then < current, `version ${then} then, ${current} now`);
    const approvals = await page.$$eval('ol[data-history] li', (items) => items.filter((li) => li.textContent.includes('zhao.dept_head')).length);
    assert.equal(approvals, 0, 'no approval of this run before it was made');
    await shot('line-as-of');
  });

  await step('the ranking exported for disclosure from the console, as CSV and XLSX', async () => {
    await signOut();
    await signIn(SUPERVISOR);
    await page.goto(`${url}#/exports?year=2027&department=${encodeURIComponent('县交通运输局')}`);
    for (const format of ['csv', 'xlsx']) {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click(`button[data-export="ranking-${format}"]`),
      ]);
      assert.equal(download.suggestedFilename(), `2027-县交通运输局-ranking.${format}`);
      await download.saveAs(`${work}/console-ranking.${format}`);
    }
    await page.waitForSelector('[data-outcome] .notice');
    assert.ok((await page.textContent('[data-outcome]')).includes('3 rows'));
    await shot('exports');
  });

  await step('a token zbbd no longer knows signs the console out with the reason', async () => {
    // As if the token were taken out of zbbd's token file while the page is open.
    await page.evaluate(() => {
      sessionStorage.setItem('zbb.token', 'revoked-token');
      location.hash = '#/stuck';
    });
    await page.waitForSelector('form[data-sign-in]');
    await page.waitForSelector('.error');
    assert.ok((await page.textContent('.error')).includes('unknown token'));
  });

  assert.deepEqual(pageErrors, [], 'no script error on any page');
  console.log(`${steps} steps passed; screenshots in ${shots}`);
} catch (error) {
  await shot('failure').catch(() => {});
  console.error(error);
  process.exitCode = 1;
} finally {
  await browser.close();
}

async function signInRefused() {
  await page.waitForSelector('form[data-sign-in]');
  await page.fill('input[name=token]', 'not-a-token');
  await page.click('form[data-sign-in] button[type=submit]');
  await page.waitForSelector('.error');
  const reason = await page.textContent('.error');
  assert.ok(reason.includes('unknown token'), reason);
  assert.ok(await page.isVisible('form[data-sign-in]'));
  assert.ok(await page.isHidden('#nav'));
  await shot('sign-in-refused');
}
