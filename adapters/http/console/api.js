// Calls zbb.v1 through zbbd's JSON gateway. The token lives in this tab's session storage and
// travels only in the Authorization header: never a cookie, so no other site can make the
// browser send an authenticated request.
const TOKEN_KEY = 'zbb.token';

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function keepToken(value) {
  sessionStorage.setItem(TOKEN_KEY, value);
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

// A refusal as zbbd words it: code ("PERMISSION_DENIED"), message, field when one is named.
export class ApiError extends Error {
  constructor(httpStatus, body) {
    super(body.message || `HTTP ${httpStatus}`);
    this.httpStatus = httpStatus;
    this.code = body.code || 'UNKNOWN';
    this.field = body.field || '';
  }
}

let signedOut = () => {};

// `handler(reason)` runs when zbbd no longer accepts the token (401): the console signs out.
export function onSignedOut(handler) {
  signedOut = handler;
}

// `method` is "Query/GetLine" or "Workflow/PushEvent"; `request` the request message in
// protobuf's JSON mapping. Resolves to the response message; rejects with an ApiError.
export async function call(method, request = {}) {
  const response = await fetch(`/api/zbb.v1.${method}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${token() || ''}`,
    },
    body: JSON.stringify(request),
    credentials: 'omit',
  });
  let body;
  try {
    body = await response.json();
  } catch {
    body = { code: 'UNKNOWN', message: `HTTP ${response.status} ${response.statusText}` };
  }
  if (!response.ok) {
    const error = new ApiError(response.status, body);
    if (response.status === 401) {
      forgetToken();
      signedOut(error.message);
    }
    throw error;
  }
  return body;
}

// A request id for one click: retries of the same click are safe, two clicks are two commands.
export function freshRequestId(prefix) {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return `${prefix}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
