#!/usr/bin/env bash
# The console in a real browser. zbbd serves the demo county, taken through the demo scenario up
# to its ranking (one department ranked, so that lines await decision), then is started again on
# the same database with its clock two months on, so that lines are overdue; console_test.mjs
# then drives Debian's chromium through the console (playwright-core from npm, installed into
# the build directory: nothing is downloaded at build or run time of zbb itself).
# Screenshots of every page: BUILD_DIR/console-screenshots.
# Usage: run_console_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir="$(cd "$1" && pwd)"
build_dir="$(cd "$2" && pwd)"
zbbd="$build_dir/adapters/grpc/zbbd"
zbbctl="$build_dir/adapters/cli/zbbctl"
work="$build_dir/console-test"
shots="$build_dir/console-screenshots"
rm -rf "$work" "$shots"
mkdir -p "$work" "$shots"

# playwright-core as the lock file pins it, once per build directory.
runner="$build_dir/browser-test"
if ! cmp -s "$source_dir/tests/browser/package-lock.json" "$runner/package-lock.json" ||
  [ ! -d "$runner/node_modules/playwright-core" ]; then
  rm -rf "$runner"
  mkdir -p "$runner"
  cp "$source_dir/tests/browser/package.json" "$source_dir/tests/browser/package-lock.json" "$runner/"
  (cd "$runner" && npm ci --no-audit --no-fund --loglevel=error)
fi
cp "$source_dir/tests/browser/console_test.mjs" "$runner/"

source "$source_dir/tests/zbbd_process.sh"
trap 'kill -TERM "$zbbd_pid" 2>/dev/null || true' EXIT

start_zbbd --clock-start 2028-01-20T09:00:00Z --escalation-seconds 0
ZBB_DEMO_STOP_BEFORE=ranking bash "$source_dir/scripts/demo/scenario.sh" "$zbbctl" "$grpc_address" \
  >"$work/scenario.out"
# The education bureau's lines are ranked now, to wait on the department heads; the transport
# bureau's are left to the console's what-if.
"$zbbctl" --server "$grpc_address" --token demo-token-ranking-he rank --year 2027 \
  --department 县教育局 --envelope 2,000,000 >>"$work/scenario.out"
stop_zbbd

start_zbbd --clock-start 2028-03-25T09:00:00Z --escalation-seconds 0
# What Summarize answers over gRPC, for the dashboard's totals to be checked against.
"$zbbctl" --server "$grpc_address" --token demo-token-supervisor-lin --json summary --by department \
  >"$work/summary-by-department.json"
"$zbbctl" --server "$grpc_address" --token demo-token-supervisor-lin --json summary --by state \
  >"$work/summary-by-state.json"
node "$runner/console_test.mjs" "$console_url" "$work" "$shots"

# The disclosure tables from zbbctl, read back as a spreadsheet would; the console's download of
# the same table (saved by console_test.mjs) is the same file.
ctl() { "$zbbctl" --server "$grpc_address" --token demo-token-supervisor-lin "$@"; }
exports="$work/exports"
mkdir -p "$exports"
ctl export ranking --year 2027 --department 县交通运输局 -o "$exports/ranking.csv"
ctl export ranking --year 2027 --department 县交通运输局 --format xlsx -o "$exports/ranking.xlsx"
/usr/bin/python3 "$source_dir/tests/browser/check_exports.py" "$exports/ranking.csv" \
  "$exports/ranking.xlsx" 3 排序 安排金额（元） 县交通运输局 农村公路日常养护 危桥改造 城乡公交运营补贴
cmp "$exports/ranking.csv" "$work/console-ranking.csv"
/usr/bin/python3 "$source_dir/tests/browser/check_exports.py" "$exports/ranking.csv" \
  "$work/console-ranking.xlsx" 3
# Two years back, the elder check-ups were approved, evaluated poor and closed.
ctl export lines --year 2025 -o "$exports/lines.csv"
ctl export lines --year 2025 --format xlsx -o "$exports/lines.xlsx"
/usr/bin/python3 "$source_dir/tests/browser/check_exports.py" "$exports/lines.csv" \
  "$exports/lines.xlsx" 1 县卫生健康局 老年人健康体检 1200000.00 poor
ctl export evaluation --year 2025 -o "$exports/evaluation.csv"
ctl export evaluation --year 2025 --format xlsx -o "$exports/evaluation.xlsx"
/usr/bin/python3 "$source_dir/tests/browser/check_exports.py" "$exports/evaluation.csv" \
  "$exports/evaluation.xlsx" 1 评价得分 老年人健康体检 poor
# A table with nothing to show is refused, not an empty file.
if ctl export monitoring --year 2027 -o "$exports/none.csv" 2>"$exports/none.err"; then
  echo "a monitoring table was exported though no round was run" >&2
  exit 1
fi
grep -q "NOT_FOUND: no monitoring round of fiscal year 2027 over the whole county" "$exports/none.err"
echo "exports: read back and equal to the console's"
stop_zbbd
trap - EXIT
