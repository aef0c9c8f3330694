#!/usr/bin/env bash
# The demo after the final accounts of fiscal year 2027 closed (zbbd restarted with its clock on
# 1 February 2028): the evaluated lines are closed and what they did not spend is recovered to
# the county's pool; then each department's year, and the supervisor's view: the monthly
# execution report, summaries, stuck lines, the audit check.
# Usage: after_final_accounts.sh ZBBCTL SERVER
source "$(dirname "$0")/helpers.sh"

say "The final accounts of 2027 closed on 31 January: the evaluated lines are closed, and what each did not spend leaves it"
for line in JT-2027-001 JT-2027-003 JY-2027-004 WJ-2027-008; do
  as chen.performance push "$line" --event '{"close": {"comment": "评价结果归档，用于下年预算安排"}}'
done
as lin.audit show JT-2027-001 | grep -E "^ *(grade|evaluation|unspent) "

say "Unspent money returned (收回): what each line closed did not spend went to the county's general pool of 2027"
as lin.audit pool --year 2027 --county

say "A department's year in one report (部门整体支出绩效评价), with its overall score"
as lin.audit report department --year 2027 --department 县交通运输局
as lin.audit report department --year 2027 --department 县教育局

say "The supervisor's view: every line of fiscal year 2027"
as lin.audit list --year 2027 --all

say "The monthly execution report (预算执行月报) of fiscal year 2027 for January 2028, its final-accounts month, when the demo's payments were booked"
as lin.audit report monthly --year 2027 --month 2028-01

say "The supervisor's dashboard: lines and money by state, then by whom they wait on"
as lin.audit summary --by state --year 2027
as lin.audit summary --by waiting-on --year 2027

say "Lines past their SLA — JT-2027-002's correction, opened by its yellow verdict on 20 January, went unanswered past its 10 days, and zbbd escalated it when it came back on 1 February — and those waiting longest"
as lin.audit stuck --year 2027
as lin.audit stuck --year 2027 --older-than 1s --page-size 5

say "The audit trail is intact: every event's hash recomputed"
as lin.audit verify

say "One line with its full history"
as lin.audit show JT-2027-001

say "The first events of the audit stream"
as lin.audit watch --after 0 --count 8
