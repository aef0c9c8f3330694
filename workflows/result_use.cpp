#include "workflows/result_use.h"

#include <fmt/format.h>
#include <google/protobuf/util/message_differencer.h>

#include <algorithm>

#include "workflows/state_ids.h"

namespace zbb::review {
namespace {

// The lines of one programme in one year are few.
constexpr std::size_t kProgrammeLines = 100;

const zbb::policy::GradeRule* rule_of(const zbb::policy::ResultUse& use, const std::string& grade) {
  const auto found = std::find_if(use.grades().begin(), use.grades().end(),
                                  [&](const auto& rule) { return rule.grade() == grade; });
  return found == use.grades().end() ? nullptr : &*found;
}

// The latest of `lines` by `newer`, nullptr when none qualifies; ties go to the smaller id, as
// lines are listed in id order.
template <typename Qualifies, typename Newer>
const BudgetLine* latest(const std::vector<BudgetLine>& lines, Qualifies qualifies, Newer newer) {
  const BudgetLine* found = nullptr;
  for (const auto& line : lines)
    if (qualifies(line) && (found == nullptr || newer(line, *found))) found = &line;
  return found;
}

const BudgetLine* latest_closed(const std::vector<BudgetLine>& lines) {
  return latest(
      lines,
      [](const BudgetLine& line) {
        return line.state() == state::kClosed && line.has_evaluation();
      },
      [](const BudgetLine& a, const BudgetLine& b) {
        return from_proto(a.updated_at()) > from_proto(b.updated_at());
      });
}

const BudgetLine* latest_monitored(const std::vector<BudgetLine>& lines) {
  return latest(
      lines, [](const BudgetLine& line) { return line.has_monitoring(); },
      [](const BudgetLine& a, const BudgetLine& b) {
        return a.monitoring().as_of() > b.monitoring().as_of();  // YYYY-MM-DD orders as text
      });
}

void use_evaluation(const BudgetLine& evaluated, const LineContent& request,
                    const zbb::policy::ResultUse& use, PriorResult& prior) {
  prior.set_line_id(evaluated.id());
  prior.set_fiscal_year(evaluated.content().fiscal_year());
  prior.set_grade(evaluated.evaluation().grade());
  prior.set_score_tenths(evaluated.evaluation().score_tenths());
  prior.set_approved_amount(evaluated.approved_amount());
  const auto* rule = rule_of(use, prior.grade());
  if (rule == nullptr) return;
  prior.set_history_points(use.base_points() + rule->bonus_points());
  prior.set_cut_percent(rule->cut_percent());
  prior.set_rectification_required(rule->rectification());
  prior.set_flagged(rule->cut_percent() > 0 || rule->rectification());
  if (rule->cut_percent() > 0)
    prior.set_ceiling(static_cast<Fen>(static_cast<WideFen>(request.requested_amount()) *
                                       (100 - rule->cut_percent()) / 100));
}

}  // namespace

LineFilter programme_lines_of_year_before(const LineContent& content, int years_back) {
  LineFilter filter;
  filter.programme_code = content.programme_code();
  filter.department = content.department();
  filter.fiscal_year = content.fiscal_year() - years_back;
  return filter;
}

Result<std::optional<PriorResult>> prior_result(const LineContent& content, Store& store,
                                                const zbb::policy::WorkflowPolicy& policy) {
  auto last_year =
      store.list_lines(programme_lines_of_year_before(content, 1), "", kProgrammeLines);
  if (!last_year.ok()) return last_year.status();
  const BudgetLine* evaluated = latest_closed(*last_year);
  std::vector<BudgetLine> year_before;
  if (evaluated == nullptr) {
    // Year N is prepared while N−1 still executes: the latest evaluation available is N−2's.
    auto lines = store.list_lines(programme_lines_of_year_before(content, 2), "", kProgrammeLines);
    if (!lines.ok()) return lines.status();
    year_before = std::move(*lines);
    evaluated = latest_closed(year_before);
  }
  const BudgetLine* monitored = latest_monitored(*last_year);
  if (evaluated == nullptr && monitored == nullptr) return std::optional<PriorResult>();

  const auto& use = policy.result_use();
  PriorResult prior;
  prior.set_history_points(use.base_points());
  if (evaluated != nullptr) use_evaluation(*evaluated, content, use, prior);
  if (monitored != nullptr) {
    auto& verdict = *prior.mutable_monitoring();
    verdict.set_line_id(monitored->id());
    verdict.set_fiscal_year(monitored->content().fiscal_year());
    verdict.set_level(monitored->monitoring().level());
    verdict.set_as_of(monitored->monitoring().as_of());
  }
  return std::optional<PriorResult>(std::move(prior));
}

bool same_consequences(const std::optional<PriorResult>& a, const std::optional<PriorResult>& b) {
  // Without an evaluation, a record is the base points whatever its monitoring verdict says.
  const auto weighed = [](const std::optional<PriorResult>& prior) {
    if (!prior || prior->line_id().empty()) return PriorResult();
    PriorResult kept = *prior;
    kept.clear_monitoring();
    return kept;
  };
  return google::protobuf::util::MessageDifferencer::Equals(weighed(a), weighed(b));
}

std::string describe_evaluation(const std::optional<PriorResult>& prior) {
  if (!prior || prior->line_id().empty()) return "no evaluation";
  return fmt::format("the {} grade of line {} ({})", prior->grade(), prior->line_id(),
                     prior->fiscal_year());
}

std::uint32_t history_points(const BudgetLine& line, const zbb::policy::ResultUse& use) {
  return line.has_prior() ? line.prior().history_points() : use.base_points();
}

Status ScoredOnCurrentRecord(const BudgetLine& line, const std::optional<PriorResult>& now,
                             Fen amount) {
  const auto then = line.has_prior() ? std::optional<PriorResult>(line.prior()) : std::nullopt;
  if (amount == 0 || same_consequences(then, now)) return Status::Ok();
  // Never scored: the record it was submitted with.
  if (!line.has_priority())
    return Status::FailedPrecondition(fmt::format(
        "line {} was submitted with {} of its programme; the record now holds {}: score it "
        "first",
        line.id(), describe_evaluation(then), describe_evaluation(now)));
  const std::string was = describe_evaluation(then);
  const std::string is = describe_evaluation(now);
  // The same evaluation weighed anew: a line scored before the policy's rules read it so.
  if (was == is)
    return Status::FailedPrecondition(
        fmt::format("line {} was scored before zbb weighed {} of its programme as it does now: "
                    "score it again",
                    line.id(), is));
  return Status::FailedPrecondition(
      fmt::format("line {} was scored with {} of its programme; the record now holds {}: score "
                  "it again",
                  line.id(), was, is));
}

Status FundedWithinCeiling(const BudgetLine& line, Fen amount) {
  if (!line.has_prior() || !line.prior().has_ceiling() || amount <= line.prior().ceiling())
    return Status::Ok();
  const auto& prior = line.prior();
  return Status::InvalidArgument(
      "amount",
      fmt::format("{} fen exceeds the {} fen ceiling set by the {} grade of line {} in {}{}",
                  amount, prior.ceiling(), prior.grade(), prior.line_id(), prior.fiscal_year(),
                  prior.cut_percent() > 0
                      ? fmt::format(", which cuts {} % of the request", prior.cut_percent())
                      : std::string()));
}

bool awaits_rectification(const BudgetLine& line) {
  if (!line.has_prior() || !line.prior().rectification_required()) return false;
  return line.rectification().evaluated_line() != line.prior().line_id() ||
         line.rectification().status() != zbb::v1::RECTIFICATION_STATUS_ACCEPTED;
}

Status RectificationAsked(const BudgetLine& line) {
  if (!line.has_prior() || !line.prior().rectification_required())
    return Status::FailedPrecondition(fmt::format(
        "line {} needs no rectification report: its programme's record asks for none", line.id()));
  if (!awaits_rectification(line))
    return Status::FailedPrecondition(
        fmt::format("the rectification report of line {} on the evaluation of line {} was "
                    "already accepted",
                    line.id(), line.prior().line_id()));
  return Status::Ok();
}

Status RectificationAwaitsReview(const BudgetLine& line) {
  ZBB_RETURN_IF_ERROR(RectificationAsked(line));
  const auto& report = line.rectification();
  if (report.status() != zbb::v1::RECTIFICATION_STATUS_SUBMITTED)
    return Status::FailedPrecondition(
        fmt::format("line {} has no rectification report awaiting review", line.id()));
  if (report.evaluated_line() != line.prior().line_id())
    return Status::FailedPrecondition(fmt::format(
        "the rectification report of line {} answers the evaluation of line {}, but the "
        "programme's record now asks for one on line {}: the unit submits a new report",
        line.id(), report.evaluated_line(), line.prior().line_id()));
  return Status::Ok();
}

Status RectifiedBeforeFunding(const BudgetLine& line, Fen amount) {
  if (amount == 0 || !awaits_rectification(line)) return Status::Ok();
  return Status::FailedPrecondition(fmt::format(
      "line {} cannot be funded before a reviewer accepts its rectification report: the {} "
      "grade of line {} in {} asks for one",
      line.id(), line.prior().grade(), line.prior().line_id(), line.prior().fiscal_year()));
}

}  // namespace zbb::review
