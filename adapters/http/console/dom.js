// Builds the console's elements. Text always goes in as text nodes, never as HTML: whatever a
// line's title says, it cannot become markup.
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

// A table: `columns` [{title, num, cell(row) → text or node}], one row per item of `rows`;
// `total` an optional last row of cells (text or nodes) in the columns' order.
export function table(columns, rows, total = null, attributes = {}) {
  return h(
    'table',
    attributes,
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { class: c.num ? 'num' : null }, c.title)))),
    h(
      'tbody',
      {},
      rows.map((row) =>
        h('tr', {}, columns.map((c) => h('td', { class: c.num ? 'num' : null }, c.cell(row)))),
      ),
      total && h('tr', { class: 'total' }, total.map((cell, i) => h('td', { class: columns[i].num ? 'num' : null }, cell))),
    ),
  );
}

export function lineLink(lineId) {
  return h('a', { href: `#/line/${encodeURIComponent(lineId)}` }, lineId);
}

// A refusal as zbbd words it, with its code and field.
export function errorBox(error) {
  const detail = [error.code, error.field && `field ${error.field}`].filter(Boolean).join(', ');
  return h('div', { class: 'error', role: 'alert' }, error.message, detail && ` (${detail})`);
}

export function notice(text) {
  return h('div', { class: 'notice', role: 'status' }, text);
}

// A horizontal bar chart: one row per item, one bar per series, widths relative to the largest
// value of any series. Values are BigInt or numbers.
export function barChart(items, label, series) {
  let largest = 0;
  for (const item of items)
    for (const s of series) largest = Math.max(largest, Number(s.value(item)));
  const chart = h('div', { class: 'chart', role: 'img', 'aria-label': series.map((s) => s.name).join(', ') });
  for (const item of items) {
    chart.append(h('div', { class: 'label' }, label(item)));
    const bars = h('div', { class: 'bars' });
    for (const s of series) {
      const bar = h('div', { class: `bar ${s.name}`, title: `${s.name}: ${s.text(item)}` });
      // Set through the CSSOM: the console's policy allows no inline style attribute.
      bar.style.width = largest > 0 ? `${(Number(s.value(item)) / largest) * 100}%` : '0';
      bars.append(bar);
    }
    chart.append(bars);
  }
  return chart;
}
