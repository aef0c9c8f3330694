#!/usr/bin/env bash
# The demo scenario: four departments of a county and a dozen budget lines taken through
# zero-based review, every step through zbbctl against a running zbbd:
#   the project library (programmes proposed and admitted, a duplicate refused) →
#   a programme's poor year two years back (its first line assessed before review) → import from a CSV sheet → submission (one flagged as
#   copied from last year, one cut for its programme's poor grade and rectified) →
#   target review (one returned and revised) →
#   priority scores → ranking cut at each department's envelope → four approval levels →
#   targets restated for the money where less than requested was approved (a funded package's
#   own target with them, an unfunded package's not issued) →
#   treasury payments from a CSV sheet → the Q2 monitoring round → a red line's correction
#   answered and accepted, a cut rejected (still red), then one approved, and a
#   reallocation between lines → December's payments booked in January, self-evaluation and
#   scores → focused evaluation by a third party → finance's re-review.
# scripts/demo/after_final_accounts.sh goes on once the final accounts have closed: closing with
# the unspent money recovered, each department's year, and the supervisor's view.
# Usage: scenario.sh ZBBCTL SERVER
source "$(dirname "$0")/helpers.sh"

say "The project library (项目库): each unit proposes its programmes, the reviewer admits them"
while IFS='|' read -r id department unit programme title _; do
  [[ -z "$id" || "$id" == \#* ]] && continue
  as "$unit" programme propose "$programme" --department "$department" --title "$title" \
    --category project
  as wang.reviewer programme admit "$programme" --comment "纳入预算项目库"
done <"$here/lines.txt"
say "The same road upkeep proposed again under another code is refused as a duplicate"
must_refuse "a duplicate programme was accepted" li.transport programme propose JT-ROAD-099 --department 县交通运输局 \
  --title "农村公路日常养护" --category project
say "A title near another is flagged to the reviewer, who retires the candidate"
as li.transport programme propose JT-ROAD-013 --department 县交通运输局 \
  --title "农村公路日常养护工程" --category project
as wang.reviewer programme show JT-ROAD-013 | grep '^flags'
as wang.reviewer programme retire JT-ROAD-013 --reason "与 JT-ROAD-001 重复建设，不予入库"
as lin.audit programme list --department 县交通运输局

declare -A unit_of
say "The treasury imports the county's requests from a spreadsheet (CSV, UTF-8)"
sheet="$work/requests.csv"
echo "row_type,line_id,fiscal_year,department,programme_code,title,category,necessity_statement,name,quantity,unit_price,level1,level2,unit,target,direction,level,amount,justification,month" >"$sheet"
request_rows() {  # request_rows ID YEAR DEPARTMENT PROGRAMME TITLE ITEM QUANTITY PRICE WHY OUTPUT UNIT TARGET SATISFACTION
  local id="$1" year="$2" department="$3" programme="$4" title="$5" item="$6" quantity="$7"
  local price="$8" why="$9" output="${10}" output_unit="${11}" target="${12}" satisfaction="${13}"
  local fen=$((quantity * price))
  local minimum=$((fen * 7 / 10))
  cat >>"$sheet" <<CSV
line,$id,$year,$department,$programme,$title,project,"$why",,,,,,,,,,,,
cost_item,$id,,,,,,,"$item",$quantity,$(yuan "$price"),,,,,,,,,
indicator,$id,,,,,,,$output,,,output,quantity,$output_unit,$target,at_least,,,,
indicator,$id,,,,,,,$satisfaction,,,satisfaction,service_object_satisfaction,%,90,at_least,,,,
increment,$id,,,,,,,,,,,,,,,minimum,$(yuan "$minimum"),保障基本需求,
increment,$id,,,,,,,,,,,,,,,current,$(yuan $((fen - minimum))),维持现有服务水平,
CSV
}
while IFS='|' read -r id department unit programme title item quantity price why output output_unit target satisfaction; do
  [[ -z "$id" || "$id" == \#* ]] && continue
  unit_of[$id]="$unit"
  request_rows "$id" 2027 "$department" "$programme" "$title" "$item" "$quantity" "$price" "$why" \
    "$output" "$output_unit" "$target" "$satisfaction"
  # The bus subsidy's packages each say what they deliver: the minimum keeps eight routes, the
  # current level brings back the other four.
  if [[ "$id" == JT-2027-003 ]]; then
    cat >>"$sheet" <<CSV
indicator,$id,,,,,,,保留线路,,,output,quantity,条,8,at_least,minimum,,,
indicator,$id,,,,,,,恢复线路,,,output,quantity,条,4,at_least,current,,,
CSV
  fi
  # Last year's request of the road programme said word for word what this year's says.
  if [[ "$id" == JT-2027-001 ]]; then
    request_rows JT-2026-001 2026 "$department" "$programme" "$title" "$item" "$quantity" "$price" \
      "$why" "$output" "$output_unit" "$target" "$satisfaction"
  fi
  # The elder check-ups ran in 2025 too, in other words.
  if [[ "$id" == WJ-2027-009 ]]; then
    request_rows WJ-2025-009 2025 "$department" "$programme" "$title" "$item" "$quantity" "$price" \
      "2025 年度 65 岁以上老年人健康体检，覆盖全县各乡镇。" "$output" "$output_unit" "$target" "$satisfaction"
    # Its spending plan (用款计划) put the whole year's money in December, after the tender.
    echo "plan,WJ-2025-009,,,,,,,,,,,,,,,,$(yuan $((quantity * price))),,12" >>"$sheet"
  fi
done <"$here/lines.txt"
as treasury import lines "$sheet"

score() {  # score LINE NECESSITY URGENCY EFFECT ATTENTION
  as wang.reviewer push "$1" --event "{\"score_priority\": {\"scores\": [
    {\"criterion\": \"necessity\", \"score\": $2}, {\"criterion\": \"urgency\", \"score\": $3},
    {\"criterion\": \"expected_effect\", \"score\": $4}, {\"criterion\": \"public_attention\", \"score\": $5}]}}"
}

say "Two years back: the elder check-ups of 2025 (WJ-2025-009), planned to pay in December, spent nothing, did a fifth of their work and were graded poor"
as chen.health push WJ-2025-009 --event '{"submit": {}}'
as wang.reviewer take WJ-2025-009
say "A line of a new programme above 1,000,000 yuan is assessed (事前绩效评估) before its targets are accepted"
must_refuse "targets accepted without a prior assessment" wang.reviewer review WJ-2025-009 --accept --comment "目标明确、可衡量"
as wang.reviewer push WJ-2025-009 --event '{"record_assessment": {"parts": [
  {"part": "necessity", "conclusion": "全县 65 岁以上老年人 1.5 万人，年度体检为基本公共卫生服务项目", "passed": true},
  {"part": "feasibility", "conclusion": "乡镇卫生院具备体检能力", "passed": true},
  {"part": "cost_reasonableness", "conclusion": "80 元/人次符合省定标准", "passed": true},
  {"part": "funding_compliance", "conclusion": "属基本公共卫生服务补助资金支出范围", "passed": true}],
  "approve": true, "comment": "同意立项"}}'
as wang.reviewer show WJ-2025-009 | grep '^assessment'
as wang.reviewer review WJ-2025-009 --accept --comment "目标明确、可衡量"
score WJ-2025-009 75 70 80 85
as he.ranking push WJ-2025-009 --event '{"fund": {"amount": "120000000", "comment": "2025 年度排序在控制数以内"}}'
for approver in zhao.dept_head qian.budget sun.performance zhou.bureau_head; do
  as "$approver" approve WJ-2025-009 --amount 1,200,000 --comment "同意"
done
as treasury push WJ-2025-009 --event '{"record_indicator_progress": {"indicator": "体检人次", "actual": 7500}}'
as treasury push WJ-2025-009 --event '{"run_checkpoint": {"as_of": "2025-06-30"}}'
as chen.health push WJ-2025-009 --event '{"begin_evaluation": {}}'
as chen.health push WJ-2025-009 --event '{"submit_self_evaluation": {"final_actuals": [{"indicator": "体检人次", "actual": 3000}, {"indicator": "老年人满意度", "actual": 40}], "satisfaction_percent": 40, "summary": "体检机构招标延误，全年仅完成两成"}}'
as chen.performance push WJ-2025-009 --event '{"close": {"comment": "评价结果归档，用于下年预算安排"}}'
as lin.audit show WJ-2025-009 | grep '^grade'

say "Units submit their requests"
for id in $(printf '%s\n' "${!unit_of[@]}" | sort); do
  as "${unit_of[$id]}" push "$id" --event '{"submit": {}}'
done

say "The reviewer's queue: JT-2027-001 restates last year's request, flagged as copied; WJ-2027-009's programme was graded poor in 2025 (2026 has no closed evaluation), so its request is cut by 30 % and needs a rectification report"
as wang.reviewer queue
as wang.reviewer show JT-2027-001 | grep '^flags'
as wang.reviewer show WJ-2027-009 | grep -E '^(flags|record)'

say "Target review: eleven accepted, one returned for revision"
for id in $(printf '%s\n' "${!unit_of[@]}" | sort); do as wang.reviewer take "$id"; done
for id in $(printf '%s\n' "${!unit_of[@]}" | sort); do
  if [[ "$id" == WJ-2027-007 ]]; then
    as wang.reviewer review "$id" --return --comment "请补充设备清单与报废依据"
  else
    as wang.reviewer review "$id" --accept --comment "目标明确、可衡量"
  fi
done
say "The unit revises and resubmits; the reviewer accepts"
# The request as JSON: the line's content, the field before its state.
as lin.audit --json show WJ-2027-007 | grep -o '"content": *{.*}, *"state"' |
  sed 's/^"content": *//; s/, *"state"$//; s/30 个村卫生室设备超过使用年限。/30 个村卫生室设备超过使用年限，清单及报废鉴定见附件。/' >"$work/revised.json"
as chen.health push WJ-2027-007 --event "{\"revise\": {\"content\": $(cat "$work/revised.json")}}"
as chen.health push WJ-2027-007 --event '{"submit": {}}'
as wang.reviewer take WJ-2027-007
as wang.reviewer review WJ-2027-007 --accept --comment "材料已补齐"

say "A unit withdraws a line before ranking"
as zhang.agriculture push NY-2027-012 --event '{"withdraw": {"reason": "已列入省级水利专项"}}'

say "Priority scores on the policy's criteria (zbb fills performance_history from each programme's record)"
score JT-2027-001 95 90 85 80; score JT-2027-002 98 95 80 85; score JT-2027-003 70 60 65 60
score JY-2027-004 95 85 90 95; score JY-2027-005 60 50 60 50; score JY-2027-006 80 70 85 60
score WJ-2027-007 85 80 80 70; score WJ-2027-008 98 95 95 90; score WJ-2027-009 75 70 80 85
score NY-2027-010 85 80 85 70; score NY-2027-011 40 30 40 60

say "The health bureau answers WJ-2027-009's poor grade with a rectification report (整改报告); the reviewer accepts it"
as chen.health push WJ-2027-009 --event '{"submit_rectification": {"report": "整改措施：2027 年 3 月底前完成体检机构招标，按月通报体检进度，未达序时进度的乡镇约谈。"}}'
as wang.reviewer push WJ-2027-009 --event '{"review_rectification": {"accept": true, "comment": "整改措施具体，同意"}}'
as wang.reviewer show WJ-2027-009 | grep -E '^(flags|rectification)'

# The console's browser test (tests/browser) takes the county on from here, before any ranking.
if [[ "${ZBB_DEMO_STOP_BEFORE:-}" == ranking ]]; then exit 0; fi

say "Ranking: decision packages funded down to each department's envelope, all lines at once (WJ-2027-009's current package lies above its ceiling)"
as he.ranking rank --year 2027 --department 县交通运输局 --envelope 1,800,000
as he.ranking rank --year 2027 --department 县教育局 --envelope 2,000,000
as he.ranking rank --year 2027 --department 县卫生健康局 --envelope 1,700,000
as he.ranking rank --year 2027 --department 县农业农村局 --envelope 700,000

say "Approval: every level works through its queue"
approve_queue() {  # approve_queue PRINCIPAL [LINE:AMOUNT|LINE:reject overrides…]
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
      as "$who" approve "$line" --amount "$(yuan "$(as "$who" --json show "$line" | json_number granted_amount)")" \
        --comment "同意"
    fi
  done
}
approve_queue zhao.dept_head
as qian.budget queue
approve_queue qian.budget JY-2027-005:reject
approve_queue sun.performance
approve_queue zhou.bureau_head WJ-2027-009:800,000

say "Targets follow the money: each line approved below its request restates its output target for the money approved, and the reviewer accepts it before the line executes"
for id in $(as lin.audit --json list --state approval.restating_targets --all |
  grep -o '"id": *"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/'); do
  approved=$(approved_of "$id")
  requested=$(as lin.audit --json show "$id" | json_number requested_amount)
  output=$(grep "^$id|" "$here/lines.txt" | cut -d'|' -f10)
  target=$(grep "^$id|" "$here/lines.txt" | cut -d'|' -f12)
  as "${unit_of[$id]}" restate "$id" --target "$output=$((target * approved / requested))" \
    --comment "按批复资金调整产出目标"
  as wang.reviewer review "$id" --restated --accept --comment "目标与资金匹配"
done
as lin.audit show WJ-2027-009 | grep '^targets'
echo "JT-2027-003 was funded its minimum package only: its restatement carries that package's target (保留线路) with the line's own; the current package's (恢复线路) is not issued"
as lin.audit show JT-2027-003 | grep 'targets restated'
must_refuse "progress on a package that was not funded" treasury push JT-2027-003 --event '{"record_indicator_progress": {"indicator": "恢复线路", "actual": 1}}'

say "Execution: the treasury sends half a year of payments and indicator progress (CSV)"
executing=$(as lin.audit --json list --state execution.executing --all | grep -o '"id": *"[^"]*"' |
  sed 's/.*"\([^"]*\)"$/\1/')
payments="$work/payments.csv"
echo "row_type,line_id,amount,payment_ref,comment,indicator,actual" >"$payments"
n=0
for id in $executing; do
  approved=$(approved_of "$id")
  half=$((approved / 2))
  [[ "$id" == JY-2027-004 ]] && half=15000000  # the school meals lag behind
  output=$(grep "^$id|" "$here/lines.txt" | cut -d'|' -f10)
  target=$(grep "^$id|" "$here/lines.txt" | cut -d'|' -f12)
  actual=$((target / 2))
  [[ "$id" == JT-2027-002 ]] && actual=$((target / 6))  # spending runs ahead of the bridges
  echo "spending,$id,$(yuan "$half"),GK-2027-06-$((++n)),国库集中支付,," >>"$payments"
  echo "indicator_progress,$id,,,,$output,$actual" >>"$payments"
  [[ "$id" == JT-2027-003 ]] && echo "indicator_progress,$id,,,,保留线路,4" >>"$payments"
done
as treasury import execution "$payments"

say "The monitoring round as of 2027-06-30, the dual-monitoring checkpoint: every executing line's spending against time progress and indicator completion"
as treasury monitor --year 2027 --as-of 2027-06-30

say "The red line may not spend while it is red"
must_refuse "a red line accepted spending" treasury push JY-2027-004 --event '{"record_spending": {"amount": "100", "payment_ref": "GK-X"}}'

say "The red verdict opened a correction (整改): the unit answers it, the reviewer returns it once, then accepts it"
as liu.education correct JY-2027-004 --measures "核实受益学生名单，按月拨付" --deadline 2028-02-28
as wang.reviewer review JY-2027-004 --correction --return --comment "措施未说明结余资金如何处理"
as liu.education correct JY-2027-004 --measures "核实受益学生名单，按月拨付；结余资金申请调减" --deadline 2028-02-28
as wang.reviewer review JY-2027-004 --correction --accept --comment "整改措施可行"
as lin.audit show JY-2027-004 | grep -E '^(state|correction)'

say "A cut is proposed without its reasons and rejected: the line stays red"
as liu.education push JY-2027-004 --event \
  '{"propose_adjustment": {"kind": "ADJUSTMENT_KIND_REDUCE", "amount": "5000000", "reason": "压减部分资金"}}'
as qian.budget reject JY-2027-004 --comment "调减依据不足，请说明受益人数变化"
as lin.audit show JY-2027-004 | grep '^state'
must_refuse "a rejected adjustment lifted the red warning" treasury push JY-2027-004 --event '{"record_spending": {"amount": "100", "payment_ref": "GK-X2"}}'

say "A cut of what it cannot spend is approved: the warning is lifted"
as liu.education push JY-2027-004 --event \
  '{"propose_adjustment": {"kind": "ADJUSTMENT_KIND_REDUCE", "amount": "10000000", "reason": "受益人数少于预期，压减结余"}}'
as qian.budget approve JY-2027-004 --comment "同意调减，资金退回部门统筹"
as zhou.bureau_head approve JY-2027-004 --comment "同意调减"

say "A reallocation between two lines: both change in one command, or neither"
as li.transport push JT-2027-003 --event \
  '{"propose_adjustment": {"kind": "ADJUSTMENT_KIND_REALLOCATE", "amount": "5000000", "target_line": "JT-2027-001", "reason": "公交线路补贴结余调剂用于公路养护"}}'
as qian.budget approve JT-2027-003 --comment "同意调剂"
as zhou.bureau_head approve JT-2027-003 --comment "同意调剂"

say "After the year: December's payments booked during the final accounts (until 31 January), self-evaluation (from 15 January) and its score"
evaluate() {  # evaluate LINE UNIT OUTPUT ACTUAL SATISFACTION-INDICATOR SURVEY%
  local approved spent rest
  approved=$(approved_of "$1")
  spent=$(spent_of "$1")
  rest=$((approved * 97 / 100 - spent))
  ((rest > 0)) && as treasury push "$1" --event "{\"record_spending\": {\"amount\": \"$rest\", \"payment_ref\": \"GK-2027-12-$1\"}}"
  as "$2" push "$1" --event '{"begin_evaluation": {}}'
  # December's last payment, booked after the unit began its self-evaluation: it still counts.
  as treasury push "$1" --event "{\"record_spending\": {\"amount\": \"$((approved / 100))\", \"payment_ref\": \"GK-2027-12-$1-late\"}}"
  as "$2" push "$1" --event "{\"submit_self_evaluation\": {\"final_actuals\": [{\"indicator\": \"$3\", \"actual\": $4}, {\"indicator\": \"$5\", \"actual\": $6}], \"satisfaction_percent\": $6, \"summary\": \"全年任务完成情况见绩效自评报告\"}}"
}
evaluate JT-2027-001 li.transport 养护里程 96 沿线群众满意度 93
as treasury push JT-2027-003 --event '{"record_indicator_progress": {"indicator": "保留线路", "actual": 8}}'
evaluate JT-2027-003 li.transport 补贴线路 12 乘客满意度 88
evaluate JY-2027-004 liu.education 受益学生 3500 家长满意度 62
evaluate WJ-2027-008 chen.health 接种剂次 19800 家长满意度 95

say "Focused evaluation (重点评价) by a third party: JY-2027-004, red during the year, was selected by the policy when its unit submitted; the reviewer picks JT-2027-003; the evaluator's evaluation replaces the unit's, which the line keeps"
as wang.reviewer push JT-2027-003 --event '{"select_focused_evaluation": {"reason": "公交补贴资金量大，群众反映较多，抽取重点评价"}}'
must_refuse "a unit submits a focused evaluation of its own line" liu.education push JY-2027-004 \
  --event '{"submit_focused_evaluation": {"satisfaction_percent": 90, "summary": "自评即可"}}'
as xu.evaluator push JY-2027-004 --event '{"submit_focused_evaluation": {"final_actuals": [{"indicator": "受益学生", "actual": 3100}], "satisfaction_percent": 62, "summary": "第三方核查：受益学生人数少于单位自报"}}'
as xu.evaluator push JT-2027-003 --event '{"submit_focused_evaluation": {"final_actuals": [{"indicator": "补贴线路", "actual": 12}], "satisfaction_percent": 85, "summary": "第三方问卷：乘客满意度 85%"}}'
as lin.audit show JY-2027-004 | grep -E "^ *(state|grade|evaluation) "

say "Finance's re-review (财政复核): each changed part with its reason, the score before and after kept"
must_refuse "the unit reviews its own evaluation" li.transport push JT-2027-001 \
  --event '{"review_evaluation": {"parts": [{"part": "effect", "tenths": "300", "reason": "自评"}]}}'
as chen.performance push JT-2027-001 --event '{"review_evaluation": {"parts": [{"part": "effect", "tenths": "240", "reason": "路况优良率抽检低于自报"}], "comment": "财政复核"}}'
must_refuse "a line with money unspent closed before the final accounts close (payments may still come)" \
  chen.performance push JT-2027-001 --event '{"close": {"comment": "评价结果归档"}}'
