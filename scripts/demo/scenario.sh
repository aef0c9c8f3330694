#!/usr/bin/env bash
# The demo scenario: four departments of a county and a dozen budget lines taken through
# zero-based review by their units, reviewers, approvers, the treasury and the evaluation office,
# every step through zbbctl against a running zbbd. Usage: scenario.sh ZBBCTL SERVER
set -euo pipefail
zbbctl="$1"
export ZBB_SERVER="$2"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

token_of() {  # principal name → its demo token
  grep -o "\"name\": \"$1\".*\"token\": \"[^\"]*\"" "$here/tokens.json" | sed 's/.*"token": "\([^"]*\)"/\1/'
}
as() {  # as PRINCIPAL zbbctl-arguments…
  local who="$1"
  shift
  "$zbbctl" --token "$(token_of "$who")" "$@"
}
say() { printf '\n== %s\n' "$*"; }

# One line of lines.txt → a zbb.v1.LineContent in protobuf JSON.
content_json() {
  local department="$1" programme="$2" title="$3" item="$4" quantity="$5" price="$6" why="$7"
  local output="$8" output_unit="$9" target="${10}" satisfaction="${11}"
  local amount=$((quantity * price))
  cat <<JSON
{"fiscal_year": 2027, "department": "$department", "programme_code": "$programme",
 "title": "$title", "category": "CATEGORY_PROJECT", "requested_amount": "$amount",
 "cost_items": [{"name": "$item", "quantity": "$quantity", "unit_price": "$price",
                 "amount": "$amount"}],
 "necessity_statement": "$why",
 "indicators": [
   {"name": "$output", "level1": "INDICATOR_LEVEL1_OUTPUT",
    "level2": "INDICATOR_LEVEL2_QUANTITY", "unit": "$output_unit", "target": $target,
    "direction": "DIRECTION_AT_LEAST"},
   {"name": "$satisfaction", "level1": "INDICATOR_LEVEL1_SATISFACTION",
    "level2": "INDICATOR_LEVEL2_SERVICE_OBJECT_SATISFACTION", "unit": "%", "target": 90,
    "direction": "DIRECTION_AT_LEAST"}]}
JSON
}

declare -A unit_of
say "Units create and submit their requests"
while IFS='|' read -r id department unit programme title item quantity price why output output_unit target satisfaction; do
  [[ -z "$id" || "$id" == \#* ]] && continue
  unit_of[$id]="$unit"
  content_json "$department" "$programme" "$title" "$item" "$quantity" "$price" "$why" \
    "$output" "$output_unit" "$target" "$satisfaction" >"$work/$id.json"
  as "$unit" create --line-id "$id" --file "$work/$id.json"
  as "$unit" push "$id" --event '{"submit": {}}'
done <"$here/lines.txt"

say "The reviewer's queue"
as wang.reviewer queue

say "Target review: eleven accepted, one returned for revision"
for id in "${!unit_of[@]}"; do as wang.reviewer take "$id"; done
for id in $(printf '%s\n' "${!unit_of[@]}" | sort); do
  if [[ "$id" == WJ-2027-007 ]]; then
    as wang.reviewer review "$id" --return --comment "请补充设备清单与报废依据"
  else
    as wang.reviewer review "$id" --accept --comment "目标明确、可衡量"
  fi
done
say "The unit revises and resubmits; the reviewer accepts"
revised="$work/WJ-2027-007.revised.json"
sed 's/30 个村卫生室设备超过使用年限。/30 个村卫生室设备超过使用年限，清单及报废鉴定见附件。/' \
  "$work/WJ-2027-007.json" >"$revised"
as chen.health push WJ-2027-007 --event "{\"revise\": {\"content\": $(cat "$revised")}}"
as chen.health push WJ-2027-007 --event '{"submit": {}}'
as wang.reviewer take WJ-2027-007
as wang.reviewer review WJ-2027-007 --accept --comment "材料已补齐"

say "A unit withdraws a line before ranking"
as zhang.agriculture push NY-2027-012 --event '{"withdraw": {"reason": "已列入省级水利专项"}}'

say "Ranking: funded within the envelope, one line below the cut"
fund() { as he.ranking push "$1" --event "{\"fund\": {\"amount\": \"$2\", \"comment\": \"$3\"}}"; }
fund JT-2027-001 72000000 "全额安排"
fund JT-2027-002 54000000 "全额安排"
fund JT-2027-003 60000000 "压减至 60 万元"
fund JY-2027-004 86000000 "全额安排"
fund JY-2027-005 60000000 "全额安排"
fund JY-2027-006 72000000 "全额安排"
fund WJ-2027-007 36000000 "全额安排"
fund WJ-2027-008 50000000 "全额安排"
fund WJ-2027-009 120000000 "全额安排"
fund NY-2027-010 80000000 "全额安排"
fund NY-2027-011 0 "排序在控制数以外"

say "Approval: every level works through its queue"
approve_queue() {  # approve_queue PRINCIPAL [LINE:AMOUNT overrides…]
  local who="$1" line amount
  shift
  for line in $(as "$who" --json queue | grep -o '"id": *"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/'); do
    amount=""
    for override in "$@"; do [[ "${override%%:*}" == "$line" ]] && amount="${override#*:}"; done
    if [[ "$amount" == reject ]]; then
      as "$who" reject "$line" --comment "与上级专项资金重复"
    elif [[ -n "$amount" ]]; then
      as "$who" approve "$line" --amount "$amount" --comment "同意，压减非急需部分"
    else
      as "$who" approve "$line" --amount "$(as "$who" --json show "$line" |
        grep -o '"granted_amount": *"[0-9]*"' | grep -o '[0-9]*' | awk '{printf "%.2f", $1 / 100}')" \
        --comment "同意"
    fi
  done
}
approve_queue zhao.dept_head
as qian.budget queue
approve_queue qian.budget JY-2027-005:reject
approve_queue sun.performance
approve_queue zhou.bureau_head WJ-2027-009:1100000

say "Execution: the treasury pushes payments and indicator progress"
pay() { as treasury push "$1" --event "{\"record_spending\": {\"amount\": \"$2\", \"payment_ref\": \"$3\"}}"; }
progress() { as treasury push "$1" --event "{\"record_indicator_progress\": {\"indicator\": \"$2\", \"actual\": $3}}"; }
pay JT-2027-001 36000000 GK-2027-05-0193; progress JT-2027-001 养护里程 48
pay JT-2027-002 27000000 GK-2027-05-0207; progress JT-2027-002 加固桥梁 1
pay JT-2027-003 30000000 GK-2027-06-0011; progress JT-2027-003 补贴线路 12
pay JY-2027-004 15000000 GK-2027-06-0412; progress JY-2027-004 受益学生 4100
pay JY-2027-006 36000000 GK-2027-06-0480; progress JY-2027-006 培训人次 300
pay WJ-2027-007 18000000 GK-2027-06-0522; progress WJ-2027-007 更新卫生室 15
pay WJ-2027-008 25000000 GK-2027-06-0530; progress WJ-2027-008 接种剂次 10000
pay WJ-2027-009 55000000 GK-2027-06-0601; progress WJ-2027-009 体检人次 7000
pay NY-2027-010 40000000 GK-2027-06-0777; progress NY-2027-010 推广面积 40000

say "Q2 checkpoint on 2027-06-30: dual monitoring"
for id in JT-2027-001 JT-2027-002 JT-2027-003 JY-2027-004 JY-2027-006 WJ-2027-007 WJ-2027-008 \
  WJ-2027-009 NY-2027-010; do
  as treasury push "$id" --event '{"run_checkpoint": {"as_of": "2027-06-30"}}'
done

say "The red line may not spend until an adjustment is decided"
if as treasury push JY-2027-004 --event '{"record_spending": {"amount": "100", "payment_ref": "GK-X"}}'; then
  echo "unexpected: a red line accepted spending" >&2
  exit 1
fi
echo "(refused, as it must be)"
as liu.education push JY-2027-004 --event \
  '{"propose_adjustment": {"kind": "ADJUSTMENT_KIND_REDUCE", "amount": "20000000", "reason": "受益人数少于预期，压减结余"}}'
as qian.budget approve JY-2027-004 --comment "同意调减"
as zhou.bureau_head approve JY-2027-004 --comment "同意调减"
pay JY-2027-004 48000000 GK-2027-12-0033

say "Year end: self-evaluation, scoring and closing"
evaluate() {  # evaluate LINE UNIT SPEND OUTPUT ACTUAL SATISFACTION-INDICATOR SURVEY%
  [[ "$3" == 0 ]] || pay "$1" "$3" "GK-2027-12-$RANDOM"
  as "$2" push "$1" --event '{"begin_evaluation": {}}'
  as "$2" push "$1" --event "{\"submit_self_evaluation\": {\"final_actuals\": [{\"indicator\": \"$4\", \"actual\": $5}, {\"indicator\": \"$6\", \"actual\": $7}], \"satisfaction_percent\": $7, \"summary\": \"全年任务完成情况见绩效自评报告\"}}"
  as chen.performance push "$1" --event '{"close": {"comment": "评价结果归档，用于下年预算安排"}}'
}
evaluate JT-2027-001 li.transport 35000000 养护里程 96 沿线群众满意度 93
evaluate JT-2027-003 li.transport 29000000 补贴线路 12 乘客满意度 88
evaluate JY-2027-004 liu.education 0 受益学生 3500 家长满意度 62
evaluate WJ-2027-008 chen.health 24000000 接种剂次 19800 家长满意度 95

say "The supervisor's view: every line of fiscal year 2027"
as lin.audit list --year 2027 --all

say "One line with its full history"
as lin.audit show JT-2027-001

say "The first events of the audit stream"
as lin.audit watch --after 0 --count 8
