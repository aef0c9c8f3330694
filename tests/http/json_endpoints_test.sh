#!/usr/bin/env bash
# zbbd's HTTP side, with curl: every unary call of zbb.v1.Query and zbb.v1.Workflow answers in
# JSON with the HTTP status of its gRPC code — 401 without a token or with one zbbd does not
# know, 403, 404, 400 naming the field, 409 — the console's files are served with their headers,
# /metrics is Prometheus text, and the same calls are served over HTTPS with the gRPC port's
# certificate. Usage: json_endpoints_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir="$(cd "$1" && pwd)"
build_dir="$(cd "$2" && pwd)"
work="$(mktemp -d)"
trap 'kill -TERM "$zbbd_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

source "$source_dir/tests/zbbd_process.sh"
start_zbbd_http() {  # start_zbbd_http EXTRA-FLAGS… → base (the HTTP side's URL)
  start_zbbd "$@"
  base="$console_url"
}

# call TOKEN SERVICE/METHOD JSON → $status, $body
call() {
  local auth=()
  [ -n "$1" ] && auth=(-H "Authorization: Bearer $1")
  body="$(curl -sS "${curl_tls[@]}" -o - -w '\n%{http_code}' -X POST "${auth[@]}" \
    -H 'Content-Type: application/json' --data-binary "$3" "${base}api/zbb.v1.$2")"
  status="${body##*$'\n'}"
  body="${body%$'\n'*}"
}
# expect TOKEN METHOD JSON STATUS [CODE [FIELD]]: the call answers STATUS, its body's code and field
expect() {
  call "$1" "$2" "$3"
  local what="$2 $3 as ${1:-nobody}"
  [ "$status" == "$4" ] || { fail "$what: HTTP $status, not $4: $body"; return; }
  if [ -n "${5:-}" ]; then
    [ "$(jq -r .code <<<"$body")" == "$5" ] || fail "$what: code $(jq -r .code <<<"$body"), not $5"
    [ -n "$(jq -r .message <<<"$body")" ] || fail "$what: no message"
  fi
  if [ -n "${6:-}" ]; then
    [ "$(jq -r .field <<<"$body")" == "$6" ] || fail "$what: field $(jq -r .field <<<"$body"), not $6"
  fi
}

unit=demo-token-transport-li
reviewer=demo-token-reviewer-wang
supervisor=demo-token-supervisor-lin
curl_tls=()
start_zbbd_http

echo "every unary call: 401 without a token, 401 with an unknown one"
query_methods=(GetLine ListLines GetHistory VerifyAudit FindStuck Summarize GetPool ListReports
  GetReport GetProgramme ListProgrammes GetExecutionReport GetDepartmentReport ExportDisclosure)
workflow_methods=(CreateLine PushEvent PushEvents RankDepartment RankFiscalYear RunMonitoring
  ActOnProgramme)
for method in "${query_methods[@]/#/Query/}" "${workflow_methods[@]/#/Workflow/}"; do
  expect "" "$method" '{}' 401 UNAUTHENTICATED
  expect not-a-token "$method" '{}' 401 UNAUTHENTICATED
done
curl -sS -D "$work/headers" -o /dev/null -X POST --data-binary '{}' "${base}api/zbb.v1.Query/GetLine"
grep -qi '^WWW-Authenticate: Bearer' "$work/headers" || fail "401 without WWW-Authenticate"

echo "a line created and read in JSON; the same errors as gRPC, the field named"
expect "$unit" Workflow/ActOnProgramme '{"request_id":"p1","code":"JT-TEST-101","event":{"propose":{"department":"县交通运输局","title":"农村公路试验","category":"CATEGORY_PROJECT"}}}' 200
expect "$reviewer" Workflow/ActOnProgramme '{"request_id":"p2","code":"JT-TEST-101","event":{"admit":{"comment":"同意入库"}}}' 200
content='{"fiscal_year":2027,"department":"县交通运输局","programme_code":"JT-TEST-101","title":"农村公路试验","category":"CATEGORY_PROJECT","necessity_statement":"路面破损，影响通行安全。","requested_amount":"100000","cost_items":[{"name":"路面修补","quantity":"1","unit_price":"100000","amount":"100000"}],"indicators":[{"name":"养护里程","level1":"INDICATOR_LEVEL1_OUTPUT","level2":"INDICATOR_LEVEL2_QUANTITY","unit":"公里","target":10,"direction":"DIRECTION_AT_LEAST"},{"name":"群众满意度","level1":"INDICATOR_LEVEL1_SATISFACTION","level2":"INDICATOR_LEVEL2_SERVICE_OBJECT_SATISFACTION","unit":"%","target":90,"direction":"DIRECTION_AT_LEAST"}]}'
expect "$unit" Workflow/CreateLine "{\"request_id\":\"c1\",\"line_id\":\"JT-2027-101\",\"content\":$content}" 200
[ "$(jq -r .line.content.title <<<"$body")" == "农村公路试验" ] || fail "CreateLine: the title came back as $(jq -r .line.content.title <<<"$body")"
[ "$(jq -r .state <<<"$body")" == draft ] || fail "CreateLine: state $(jq -r .state <<<"$body")"
expect "$unit" Workflow/CreateLine "{\"request_id\":\"c1\",\"line_id\":\"JT-2027-101\",\"content\":$content}" 200
[ "$(jq -r .replayed <<<"$body")" == true ] || fail "a retried request id was not replayed"
expect "$unit" Workflow/CreateLine "{\"request_id\":\"c2\",\"line_id\":\"JT-2027-101\",\"content\":$content}" 409 ALREADY_EXISTS
expect "$unit" Workflow/CreateLine "{\"request_id\":\"c3\",\"line_id\":\"JT-2027-102\",\"content\":${content/\"amount\":\"100000\"/\"amount\":\"1\"}}" 400 INVALID_ARGUMENT content.cost_items[0].amount
expect "$supervisor" Query/GetLine '{"line_id":"JT-2027-101"}' 200
[ "$(jq -r .line.version <<<"$body")" == 1 ] || fail "GetLine: version $(jq -r .line.version <<<"$body")"
expect "$supervisor" Query/GetHistory '{"line_id":"JT-2027-101"}' 200
[ "$(jq '.events | length' <<<"$body")" == 1 ] || fail "GetHistory: not one event"
expect "$unit" Workflow/PushEvent '{"request_id":"s1","line_id":"JT-2027-101","expected_version":"7","event":{"submit":{}}}' 409 ABORTED
expect "$unit" Workflow/PushEvent '{"request_id":"s2","line_id":"JT-2027-101","event":{"close":{}}}' 403 PERMISSION_DENIED
expect "$reviewer" Workflow/PushEvent '{"request_id":"s3","line_id":"JT-2027-101","event":{"start_target_review":{}}}' 400 FAILED_PRECONDITION
expect "$supervisor" Query/GetLine '{"line_id":"JT-2027-999"}' 404 NOT_FOUND
expect demo-token-education-liu Query/GetLine '{"line_id":"JT-2027-101"}' 404 NOT_FOUND
expect "$supervisor" Query/GetHistory '{"line_id":"JT-2027-999"}' 404 NOT_FOUND
expect "$supervisor" Query/GetReport '{"report_id":"nobody|r-1"}' 404 NOT_FOUND
expect "$supervisor" Query/GetProgramme '{"code":"JT-NONE-001"}' 404 NOT_FOUND
expect "$supervisor" Query/GetLine '{"line_id":"bad id!"}' 400 INVALID_ARGUMENT line_id
expect "$supervisor" Query/ListLines '{"page_size":9999}' 400 INVALID_ARGUMENT page_size
expect "$supervisor" Query/FindStuck '{"page_size":-1}' 400 INVALID_ARGUMENT page_size
expect "$supervisor" Query/GetExecutionReport '{"fiscal_year":2027,"month":"13"}' 400 INVALID_ARGUMENT month
expect "$supervisor" Query/GetDepartmentReport '{"fiscal_year":1}' 400 INVALID_ARGUMENT fiscal_year
expect "$unit" Query/VerifyAudit '{}' 403 PERMISSION_DENIED
expect "$unit" Workflow/RankDepartment '{"request_id":"r1","fiscal_year":2027,"department":"县交通运输局","envelope":"100"}' 403 PERMISSION_DENIED
expect "$reviewer" Workflow/RankDepartment '{"request_id":"r2","fiscal_year":2027,"department":"县交通运输局","envelope":"100","dry_run":true}' 400 FAILED_PRECONDITION
expect "$supervisor" Query/ExportDisclosure '{"fiscal_year":2027,"format":"EXPORT_FORMAT_CSV"}' 400 INVALID_ARGUMENT table
expect "$supervisor" Query/ExportDisclosure '{"table":"DISCLOSURE_TABLE_RANKING","fiscal_year":2027,"format":"EXPORT_FORMAT_CSV"}' 404 NOT_FOUND
expect "$supervisor" Query/ExportDisclosure '{"table":"DISCLOSURE_TABLE_LINES","fiscal_year":2027,"format":"EXPORT_FORMAT_CSV"}' 200
[ "$(jq -r .file_name <<<"$body")" == "2027-全县-lines.csv" ] || fail "ExportDisclosure: file $(jq -r .file_name <<<"$body")"
jq -r .content <<<"$body" | base64 -d | head -c 3 | od -An -tx1 | grep -q "ef bb bf" ||
  fail "ExportDisclosure: the CSV has no byte-order mark"
# A unit exports its own department's tables, and no other's.
expect "$unit" Query/ExportDisclosure '{"table":"DISCLOSURE_TABLE_LINES","fiscal_year":2027,"format":"EXPORT_FORMAT_XLSX"}' 200
[ "$(jq -r .file_name <<<"$body")" == "2027-县交通运输局-lines.xlsx" ] || fail "a unit's export: file $(jq -r .file_name <<<"$body")"
expect "$unit" Query/ExportDisclosure '{"table":"DISCLOSURE_TABLE_LINES","fiscal_year":2027,"department":"县教育局","format":"EXPORT_FORMAT_CSV"}' 403 PERMISSION_DENIED
expect "$supervisor" Query/VerifyAudit '{}' 200
[ "$(jq -r .intact <<<"$body")" == true ] || fail "VerifyAudit: not intact"
expect "$supervisor" Query/Summarize '{"group_by":"SUMMARY_GROUPING_DEPARTMENT"}' 200
[ "$(jq -r '.groups[0].key' <<<"$body")" == 县交通运输局 ] || fail "Summarize: $(jq -c .groups <<<"$body")"

echo "requests that are not calls"
expect "$supervisor" Query/GetLine '{"lineid":"JT-2027-101"}' 400 INVALID_ARGUMENT
expect "$supervisor" Query/GetLine 'not json' 400 INVALID_ARGUMENT
expect "$supervisor" Query/NoSuchMethod '{}' 404 NOT_FOUND
expect "$supervisor" Query/Watch '{}' 404 NOT_FOUND
for method in GET PUT DELETE; do
  code="$(curl -sS -o "$work/body" -w '%{http_code}' -X "$method" --data-binary '{}' \
    "${base}api/zbb.v1.Query/GetLine")"
  [ "$code" == 405 ] || fail "$method of a call: HTTP $code, not 405"
done
# A header gRPC would not carry (bytes beyond printable ASCII) is refused, and zbbd lives on.
code="$(curl -sS -o "$work/body" -w '%{http_code}' -X POST --data-binary '{}' \
  -H "$(printf 'Authorization: Bearer \xe9t\xe9')" "${base}api/zbb.v1.Query/GetLine")"
[ "$code" == 401 ] || fail "a header with a Latin-1 byte: HTTP $code, not 401"
kill -0 "$zbbd_pid" || fail "zbbd died of a header with a Latin-1 byte"
# One port, one server: a second zbbd on the same HTTP address is refused at start.
taken="${base#http://}"
"$build_dir/adapters/grpc/zbbd" --listen 127.0.0.1:0 --http-listen "${taken%/}" \
  --database "$work/second.db" --tokens "$source_dir/scripts/demo/tokens.json" \
  --policy "$source_dir/workflows/zero_based_review.textproto" \
  --scheduler-seconds 0 >/dev/null 2>"$work/second.log" && second=0 || second=$?
[ "$second" == 2 ] || fail "a second zbbd on the same HTTP port: exit $second, not 2"
grep -q "cannot listen on" "$work/second.log" || fail "the second zbbd did not say why: $(cat "$work/second.log")"
code="$(curl -sS -o "$work/body" -w '%{http_code}' -X POST --data-binary '{}' "${base}api/grpc.health.v1.Health/Check")"
[ "$code" == 404 ] || fail "Health over HTTP: HTTP $code, not 404"

echo "the console's files, with headers that keep other sites out"
code="$(curl -sS -D "$work/headers" -o "$work/index.html" -w '%{http_code}' "$base")"
[ "$code" == 200 ] || fail "the console's page: HTTP $code"
grep -q '<script type="module" src="console.js">' "$work/index.html" || fail "index.html is not the console"
grep -qi "^Content-Security-Policy: default-src 'self'" "$work/headers" || fail "no Content-Security-Policy"
grep -qi '^X-Frame-Options: DENY' "$work/headers" || fail "no X-Frame-Options"
grep -qi '^Set-Cookie' "$work/headers" && fail "a cookie was set"
code="$(curl -sS -o /dev/null -w '%{http_code} %{content_type}' "${base}console.js")"
[ "$code" == "200 text/javascript; charset=utf-8" ] || fail "console.js: $code"
code="$(curl -sS --path-as-is -o /dev/null -w '%{http_code}' "${base}../../etc/passwd")"
[ "$code" == 404 ] || fail "a path out of the console's directory: HTTP $code"
[ "$(curl -sS "${base}console.json" | jq -r .time_zone)" == Asia/Shanghai ] || fail "console.json"

echo "/metrics: Prometheus text, for a supervisor's token"
code="$(curl -sS -o /dev/null -w '%{http_code}' "${base}metrics")"
[ "$code" == 401 ] || fail "/metrics without a token: HTTP $code"
code="$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $unit" "${base}metrics")"
[ "$code" == 403 ] || fail "/metrics for a unit: HTTP $code"
curl -sS -o "$work/metrics" -D "$work/headers" -H "Authorization: Bearer $supervisor" "${base}metrics"
grep -qi '^Content-Type: text/plain; version=0.0.4' "$work/headers" || fail "/metrics content type"
/usr/bin/python3 "$source_dir/tests/http/check_metrics.py" "$work/metrics" || fail "/metrics does not parse"
stop_zbbd

echo "HTTPS with the gRPC port's certificate; the log as one JSON object per line"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
mv "$work/zbbd.log" "$work/zbbd-text.log"
start_zbbd_http --tls-cert "$work/cert.pem" --tls-key "$work/key.pem" --log-format json
[[ "$base" == https://* ]] || fail "with a certificate, the console is not on https: $base"
curl_tls=(--cacert "$work/cert.pem")
expect "$supervisor" Query/GetLine '{"line_id":"JT-2027-101"}' 200
expect "" Query/GetLine '{"line_id":"JT-2027-101"}' 401 UNAUTHENTICATED
code="$(curl -sS -o /dev/null -w "%{http_code}" "${base/https:/http:}" 2>/dev/null || true)"
[ "$code" != 200 ] || fail "plain HTTP answered on the HTTPS port"
stop_zbbd
jq -e . "$work/zbbd.log" >/dev/null || fail "a log line is not JSON: $(head -3 "$work/zbbd.log")"
jq -e -s 'any(.[]; .method == "GetLine" and .code == "OK" and .principal == "lin.audit"
  and .line_id == "JT-2027-101" and (.ms | type) == "number" and .level == "info")' \
  "$work/zbbd.log" >/dev/null || fail "no JSON line of the GetLine: $(cat "$work/zbbd.log")"
jq -e -s 'any(.[]; .code == "UNAUTHENTICATED" and .level == "warning" and (.message | length) > 0)' \
  "$work/zbbd.log" >/dev/null || fail "no JSON line of the refused GetLine"
jq -e -s 'any(.[]; .method == null and (.message | startswith("serving ")))' "$work/zbbd.log" \
  >/dev/null || fail "zbbd's own lines are not JSON objects with a message"
grep -q "GetLine principal=lin.audit request=- line=JT-2027-101 → OK" "$work/zbbd-text.log" ||
  fail "the text log has no GetLine line"

if [ "$failures" -gt 0 ]; then
  echo "$failures failures (zbbd's log: see above)" >&2
  exit 1
fi
echo "every check passed"
