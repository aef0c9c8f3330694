// Amounts, dates and durations as the console shows them. Money arrives as int64 fen, which
// protobuf's JSON mapping writes as a string: it is kept in BigInt, never a float.
let timeZone = 'Asia/Shanghai';

// A zone the browser does not know leaves times in UTC, named as such, rather than no page.
export function setTimeZone(zone) {
  if (!zone) return;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    timeZone = zone;
  } catch {
    timeZone = 'UTC';
  }
}

export function bureauTimeZone() {
  return timeZone;
}

export function fen(value) {
  return BigInt(value ?? 0);
}

// 123456789 fen → "1,234,567.89" (yuan, thousands separated).
export function yuan(value) {
  const amount = fen(value);
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${cents}`;
}

// "1,234.5" or "1234.50" yuan → fen as a string; null when the text is not an amount.
export function parseYuan(text) {
  const cleaned = String(text).trim().replace(/,/g, '');
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!match) return null;
  return (BigInt(match[1]) * 100n + BigInt((match[2] || '').padEnd(2, '0'))).toString();
}

// An RFC 3339 instant → "2027-06-30 17:00" in the bureau's time zone.
export function when(timestamp) {
  if (!timestamp) return '';
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(timestamp));
  const part = (type) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

// The zone's offset from UTC at `instant` (ms), read off how the zone shows that instant.
function zoneOffset(instant) {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  const part = (type) => Number(parts.find((p) => p.type === type)?.value);
  const shown = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return shown - Math.floor(instant / 1000) * 1000;
}

// "2027-06-30 17:00" (or "2027-06-30", midnight) in the bureau's time zone → an RFC 3339
// instant; null when the text is not such a time.
export function instantOf(text) {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?$/.exec(String(text).trim());
  if (!match) return null;
  const [, y, mo, d, h = '00', mi = '00'] = match;
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
  if (Number.isNaN(local)) return null;
  // The offset at the guess, then at the instant it gives (right across a change of offset).
  let instant = local - zoneOffset(local);
  instant = local - zoneOffset(instant);
  // A day or an hour that does not exist ("2028-02-30", "25:00", a time skipped by a change of
  // offset) shows as another one: refused rather than moved.
  const shown = when(new Date(instant).toISOString());
  if (shown !== `${y}-${mo}-${d} ${h}:${mi}`) return null;
  return new Date(instant).toISOString();
}

// A protobuf Duration in JSON ("93784.5s") → "1 d 2 h"; negative durations keep their sign.
export function duration(text) {
  if (!text) return '';
  const seconds = Number.parseFloat(text);
  const sign = seconds < 0 ? '-' : '';
  let rest = Math.floor(Math.abs(seconds));
  const days = Math.floor(rest / 86400);
  rest -= days * 86400;
  const hours = Math.floor(rest / 3600);
  const minutes = Math.floor((rest - hours * 3600) / 60);
  if (days > 0) return `${sign}${days} d ${hours} h`;
  if (hours > 0) return `${sign}${hours} h ${minutes} min`;
  return `${sign}${minutes} min`;
}

// Basis points → "87.5 %".
export function percent(basisPoints) {
  return `${(Number(basisPoints ?? 0) / 100).toFixed(1)} %`;
}

// "WARNING_LEVEL_RED" → "red".
export function enumName(value, prefix) {
  return String(value ?? '').replace(prefix, '').toLowerCase();
}
