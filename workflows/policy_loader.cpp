#include "workflows/policy_loader.h"
#include "engine/config_file.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <utility>

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include "workflows/disclosure.h"
#include "workflows/sla.h"
#include "workflows/state_ids.h"

namespace zbb::review {
namespace {

namespace fs = std::filesystem;
namespace pb = google::protobuf;
using zbb::policy::ApprovalLevel;
using zbb::policy::EvaluationWeights;
using zbb::policy::GradeBand;
using zbb::policy::IncrementFactor;
using zbb::policy::Monitoring;
using zbb::policy::RankingCriterion;
using zbb::policy::WorkflowPolicy;

constexpr std::size_t kMaxVersionLength = 64;
constexpr std::uint32_t kMaxSlaDays = 3650;  // ten years: anything longer is a typo
constexpr std::uint32_t kMaxPoints = 100;
// A policy is a few kilobytes; refusing huge files keeps a wrong path (a log, a dump) from
// being read into memory and parsed.
constexpr std::uintmax_t kMaxPolicyFileBytes = 1u << 20;

// ---- small helpers for field paths and messages -------------------------------------------

std::string in_quotes(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string indexed(std::string_view field, std::size_t index) {
  return std::string(field) + "[" + std::to_string(index) + "]";
}

std::string keyed(std::string_view field, std::string_view key) {
  return std::string(field) + "[" + in_quotes(key) + "]";
}

std::string got(std::uint64_t value) { return " (got " + std::to_string(value) + ")"; }

template <typename Range>
std::string joined(const Range& items, std::string_view separator = ", ") {
  std::string text;
  for (const auto& item : items) {
    if (!text.empty()) text += separator;
    text += item;
  }
  return text;
}

// Names in chains, criteria and grades are stored on lines and events and typed by people in
// commands, so they are restricted to one unambiguous spelling.
bool is_identifier(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool has_space_or_control(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte <= 0x20 || byte == 0x7f;
  });
}

Status check_identifier(const std::string& name, const std::string& field) {
  if (name.empty()) return Status::InvalidArgument(field, "must not be empty");
  if (!is_identifier(name)) {
    return Status::InvalidArgument(field, "must match [a-z0-9_]+ (got " + in_quotes(name) + ")");
  }
  return Status::Ok();
}

// Checks each name of `items` (by `name_of`) and refuses the second occurrence of a name,
// pointing at the first so the reader sees both places.
template <typename Items, typename NameOf>
Status check_unique_names(const Items& items, std::string_view list_field,
                          std::string_view name_field, NameOf name_of) {
  std::map<std::string, std::size_t> first_index;
  for (std::size_t i = 0; i < static_cast<std::size_t>(items.size()); ++i) {
    const std::string& name = name_of(items[static_cast<int>(i)]);
    const std::string field = indexed(list_field, i) + "." + std::string(name_field);
    ZBB_RETURN_IF_ERROR(check_identifier(name, field));
    const auto [it, inserted] = first_index.emplace(name, i);
    if (!inserted) {
      return Status::InvalidArgument(field, "duplicates " + indexed(list_field, it->second) + "." +
                                                std::string(name_field) + " (" + in_quotes(name) +
                                                ")");
    }
  }
  return Status::Ok();
}

// ---- the rules, one function per policy section --------------------------------------------

Status check_version(const std::string& version) {
  const std::string field = "version";
  if (version.empty()) return Status::InvalidArgument(field, "must not be empty");
  if (version.size() > kMaxVersionLength) {
    return Status::InvalidArgument(field, "must be at most " + std::to_string(kMaxVersionLength) +
                                              " characters" + got(version.size()));
  }
  // Lines record the version and supervisors type it in queries: no invisible characters.
  if (has_space_or_control(version)) {
    return Status::InvalidArgument(
        field,
        "must not contain whitespace or control characters (got " + in_quotes(version) + ")");
  }
  return Status::Ok();
}

Status check_role(const std::string& role) {
  if (role.empty()) return Status::InvalidArgument("role", "must not be empty");
  // Roles are compared with the roles of an authenticated principal; a stray space would make
  // the level impossible to act on.
  if (has_space_or_control(role)) {
    return Status::InvalidArgument(
        "role", "must not contain whitespace or control characters (got " + in_quotes(role) + ")");
  }
  return Status::Ok();
}

// A level's role is "approver:<level name>": tokens grant it, queues and permissions use it.
Status check_level_role(const ApprovalLevel& level, const std::string& field) {
  const std::string expected = "approver:" + level.name();
  if (level.role() != expected)
    return Status::InvalidArgument(field + ".role", "must be " + in_quotes(expected) + " (got " +
                                                        in_quotes(level.role()) + ")");
  return Status::Ok();
}

Status check_chain(const pb::RepeatedPtrField<ApprovalLevel>& chain, const std::string& field) {
  if (chain.empty()) return Status::InvalidArgument(field, "must have at least one level");
  ZBB_RETURN_IF_ERROR(check_unique_names(
      chain, field, "name", [](const ApprovalLevel& l) -> const std::string& { return l.name(); }));
  for (int i = 0; i < chain.size(); ++i) {
    if (Status status = check_role(chain[i].role()); !status.ok()) {
      return status.within(indexed(field, static_cast<std::size_t>(i)));
    }
    ZBB_RETURN_IF_ERROR(check_level_role(chain[i], indexed(field, static_cast<std::size_t>(i))));
  }
  return Status::Ok();
}

bool contains(const auto& states, std::string_view id) {
  return std::find(states.begin(), states.end(), id) != states.end();
}

Status check_sla_key(const std::string& state_id, const std::string& field) {
  if (contains(kTerminalStates, state_id)) {
    return Status::InvalidArgument(field, "is a terminal state; terminal states have no SLA");
  }
  if (!contains(kActiveStates, state_id)) {
    std::vector<std::string> known(kActiveStates.begin(), kActiveStates.end());
    return Status::InvalidArgument(
        field, "is not a state of the zero-based review; expected one of: " + joined(known));
  }
  return Status::Ok();
}

Status check_sla_days(const pb::Map<std::string, std::uint32_t>& sla_days) {
  // Sorted so that the same file always reports the same first error.
  const std::map<std::string, std::uint32_t> sorted(sla_days.begin(), sla_days.end());
  for (const auto& [state_id, days] : sorted) {
    const std::string field = keyed("sla_days", state_id);
    ZBB_RETURN_IF_ERROR(check_sla_key(state_id, field));
    if (days < 1) return Status::InvalidArgument(field, "must be at least 1 day" + got(days));
    if (days > kMaxSlaDays) {
      return Status::InvalidArgument(
          field, "must be at most " + std::to_string(kMaxSlaDays) + " days" + got(days));
    }
  }
  // Without an SLA a state could hold a line forever without anyone being told it is stuck.
  for (std::string_view state_id : kActiveStates) {
    if (!sorted.contains(std::string(state_id))) {
      return Status::InvalidArgument(keyed("sla_days", state_id),
                                     "missing; every active state needs an SLA");
    }
  }
  return Status::Ok();
}

std::optional<int> two_digits(std::string_view text) {
  if (text.size() != 2 || text[0] < '0' || text[0] > '9' || text[1] < '0' || text[1] > '9') {
    return std::nullopt;
  }
  return (text[0] - '0') * 10 + (text[1] - '0');
}

// A day of every fiscal year, "MM-DD".
Status check_month_day(const std::string& date, const std::string& field) {
  const std::optional<int> month =
      date.size() == 5 && date[2] == '-' ? two_digits(date.substr(0, 2)) : std::nullopt;
  const std::optional<int> day = month ? two_digits(date.substr(3, 2)) : std::nullopt;
  if (!month || !day) {
    return Status::InvalidArgument(
        field, "must be \"MM-DD\", e.g. \"06-30\" (got " + in_quotes(date) + ")");
  }
  // The checkpoint repeats every fiscal year, so 02-29 would be missing in most of them.
  if (*month == 2 && *day == 29) {
    return Status::InvalidArgument(field, "02-29 does not exist in every fiscal year; use 02-28");
  }
  static constexpr int kDaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (*month < 1 || *month > 12 || *day < 1 || *day > kDaysInMonth[*month - 1]) {
    return Status::InvalidArgument(field, "is not a date (got " + in_quotes(date) + ")");
  }
  return Status::Ok();
}

// A warning pair (yellow, red) of one monitoring dimension: red must be the stronger signal,
// and both are percentage points.
Status check_warning_pair(std::uint32_t yellow, std::uint32_t red, std::string_view dimension) {
  const std::string yellow_field = "yellow_" + std::string(dimension) + "_points";
  const std::string red_field = "red_" + std::string(dimension) + "_points";
  if (yellow < 1) return Status::InvalidArgument(yellow_field, "must be at least 1" + got(yellow));
  if (red <= yellow) {
    return Status::InvalidArgument(
        red_field, "must be greater than " + yellow_field + " (" + std::to_string(yellow) + ")");
  }
  if (red > kMaxPoints) return Status::InvalidArgument(red_field, "must be at most 100" + got(red));
  return Status::Ok();
}

Status check_monitoring_fields(const Monitoring& monitoring) {
  // A file of before the list names its one checkpoint the old way: say what replaces it.
  if (!monitoring.checkpoint_date().empty() || monitoring.time_progress_percent() != 0)
    return Status::InvalidArgument(
        monitoring.checkpoint_date().empty() ? "time_progress_percent" : "checkpoint_date",
        "is replaced by checkpoints { date time_progress_percent dual }, e.g. checkpoints { date: "
        "\"06-30\" time_progress_percent: 50 dual: true }");
  const auto& checkpoints = monitoring.checkpoints();
  if (checkpoints.empty())
    return Status::InvalidArgument("checkpoints", "must have at least one checkpoint");
  const auto duals =
      std::count_if(checkpoints.begin(), checkpoints.end(), [](const auto& c) { return c.dual(); });
  if (duals != 1)
    return Status::InvalidArgument(
        "checkpoints", "must mark exactly one checkpoint dual (the dual-monitoring one; got " +
                           std::to_string(duals) + ")");
  for (int i = 0; i < checkpoints.size(); ++i) {
    const std::string at = "checkpoints[" + std::to_string(i) + "].";
    ZBB_RETURN_IF_ERROR(check_month_day(checkpoints[i].date(), at + "date"));
    const std::uint32_t progress = checkpoints[i].time_progress_percent();
    if (progress < 1 || progress > kMaxPoints)
      return Status::InvalidArgument(at + "time_progress_percent",
                                     "must be between 1 and 100" + got(progress));
    if (i == 0) continue;
    // "MM-DD" orders as text.
    if (checkpoints[i].date() <= checkpoints[i - 1].date())
      return Status::InvalidArgument(at + "date", "must come after the checkpoint before it (" +
                                                      in_quotes(checkpoints[i - 1].date()) + ")");
    if (progress <= checkpoints[i - 1].time_progress_percent())
      return Status::InvalidArgument(
          at + "time_progress_percent",
          "must be above the checkpoint's before it (" +
              std::to_string(checkpoints[i - 1].time_progress_percent()) + ")" + got(progress));
  }
  for (const auto& [field, days] :
       {std::pair{"correction_answer_days", monitoring.correction_answer_days()},
        std::pair{"correction_review_days", monitoring.correction_review_days()}})
    if (days > kMaxSlaDays)
      return Status::InvalidArgument(
          field, "must be at most " + std::to_string(kMaxSlaDays) + " days" + got(days));
  ZBB_RETURN_IF_ERROR(
      check_warning_pair(monitoring.yellow_lag_points(), monitoring.red_lag_points(), "lag"));
  return check_warning_pair(monitoring.yellow_ahead_points(), monitoring.red_ahead_points(),
                            "ahead");
}

Status check_ranking(const pb::RepeatedPtrField<RankingCriterion>& criteria) {
  const std::string field = "ranking_criteria";
  if (criteria.empty()) return Status::InvalidArgument(field, "must have at least one criterion");
  ZBB_RETURN_IF_ERROR(
      check_unique_names(criteria, field, "name",
                         [](const RankingCriterion& c) -> const std::string& { return c.name(); }));
  std::uint64_t sum = 0;  // 64 bits: many large uint32 weights must not wrap around to 100
  for (int i = 0; i < criteria.size(); ++i) {
    const std::uint32_t weight = criteria[i].weight();
    if (weight < 1) {
      return Status::InvalidArgument(indexed(field, static_cast<std::size_t>(i)) + ".weight",
                                     "must be at least 1" + got(weight));
    }
    sum += weight;
  }
  if (sum != kMaxPoints)
    return Status::InvalidArgument(field, "weights must sum to 100" + got(sum));
  return Status::Ok();
}

Status check_increment_factors(const pb::RepeatedPtrField<IncrementFactor>& factors) {
  const std::string field = "increment_factors";
  constexpr std::array<std::string_view, 3> kLevels = {"minimum", "current", "enhancement"};
  if (static_cast<std::size_t>(factors.size()) != kLevels.size())
    return Status::InvalidArgument(field, "must list minimum, current and enhancement, in order");
  std::uint32_t previous = kMaxPoints + 1;
  for (int i = 0; i < factors.size(); ++i) {
    const std::string at = indexed(field, static_cast<std::size_t>(i));
    if (factors[i].level() != kLevels[static_cast<std::size_t>(i)])
      return Status::InvalidArgument(at + ".level",
                                     "must be " + in_quotes(kLevels[static_cast<std::size_t>(i)]) +
                                         " (levels in order minimum, current, enhancement)");
    const std::uint32_t percent = factors[i].percent();
    if (percent < 1 || percent > kMaxPoints)
      return Status::InvalidArgument(at + ".percent", "must be 1 to 100" + got(percent));
    if (percent >= previous)
      return Status::InvalidArgument(at + ".percent",
                                     "must be lower than the level before it" + got(percent));
    previous = percent;
  }
  return Status::Ok();
}

Status check_tie_break(const std::string& rule) {
  if (rule != "earlier_submission")
    return Status::InvalidArgument("tie_break", "must be \"earlier_submission\"");
  return Status::Ok();
}

Status check_result_use(const zbb::policy::WorkflowPolicy& policy) {
  const auto& use = policy.result_use();
  // The rules before per-grade ones: refused rather than dropped without a word.
  const char* replaced = use.flagged_grades_size() > 0 ? "result_use.flagged_grades"
                         : use.cap_percent() > 0       ? "result_use.cap_percent"
                         : use.cut_percent() > 0       ? "result_use.cut_percent"
                                                       : nullptr;
  if (replaced != nullptr)
    return Status::InvalidArgument(
        replaced,
        "is no longer read: write one result_use.grades rule per grade (cut_percent of "
        "this year's request, bonus_points, rectification)");
  if (use.base_points() > kMaxPoints)
    return Status::InvalidArgument("result_use.base_points",
                                   "must be 0 to 100" + got(use.base_points()));
  std::set<std::string> ruled;
  for (int i = 0; i < use.grades_size(); ++i) {
    const auto& rule = use.grades(i);
    const std::string at = indexed("result_use.grades", static_cast<std::size_t>(i));
    const bool known = std::any_of(policy.grade_bands().begin(), policy.grade_bands().end(),
                                   [&](const auto& band) { return band.grade() == rule.grade(); });
    if (!known)
      return Status::InvalidArgument(
          at + ".grade", "is not a grade of grade_bands (got " + in_quotes(rule.grade()) + ")");
    if (!ruled.insert(rule.grade()).second)
      return Status::InvalidArgument(at + ".grade",
                                     "has a rule already (got " + in_quotes(rule.grade()) + ")");
    if (rule.bonus_points() > kMaxPoints - use.base_points())
      return Status::InvalidArgument(at + ".bonus_points",
                                     "takes base_points beyond 100 (base " +
                                         std::to_string(use.base_points()) + " + bonus " +
                                         std::to_string(rule.bonus_points()) + ")");
    if (rule.cut_percent() > kMaxPoints)
      return Status::InvalidArgument(at + ".cut_percent",
                                     "must be 0 to 100" + got(rule.cut_percent()));
  }
  if (!use.history_criterion().empty()) {
    const bool known = std::any_of(
        policy.ranking_criteria().begin(), policy.ranking_criteria().end(),
        [&](const auto& criterion) { return criterion.name() == use.history_criterion(); });
    if (!known)
      return Status::InvalidArgument("result_use.history_criterion",
                                     "is not a criterion of ranking_criteria (got " +
                                         in_quotes(use.history_criterion()) + ")");
  }
  return Status::Ok();
}

Status check_prior_assessment(const zbb::policy::PriorAssessment& rule) {
  // The largest amount a line may request (line_rules.cpp): a threshold above it selects nothing.
  constexpr std::int64_t kMaxAmount = 100'000'000'000'000;
  for (const auto& [field, value] :
       {std::pair{"prior_assessment.new_programme_above", rule.new_programme_above()},
        std::pair{"prior_assessment.any_line_above", rule.any_line_above()}}) {
    if (value < 0 || value > kMaxAmount)
      return Status::InvalidArgument(
          field, "must be 0 to 100000000000000 fen (got " + std::to_string(value) + ")");
  }
  return Status::Ok();
}

Status check_copied_justification(const zbb::policy::CopiedJustification& rule) {
  if (rule.threshold_percent() > kMaxPoints)
    return Status::InvalidArgument("copied_justification.threshold_percent",
                                   "must be 0 to 100" + got(rule.threshold_percent()));
  if (rule.refuse_copied() && rule.threshold_percent() == 0)
    return Status::InvalidArgument("copied_justification.refuse_copied",
                                   "needs a threshold_percent to refuse at");
  return Status::Ok();
}

Status check_library(const zbb::policy::Library& rule) {
  for (const auto& [field, value] :
       {std::pair{"library.similar_title_percent", rule.similar_title_percent()},
        std::pair{"library.duplicate_title_percent", rule.duplicate_title_percent()}}) {
    if (value > kMaxPoints) return Status::InvalidArgument(field, "must be 0 to 100" + got(value));
  }
  if (rule.duplicate_title_percent() != 0 &&
      rule.duplicate_title_percent() < rule.similar_title_percent())
    return Status::InvalidArgument("library.duplicate_title_percent",
                                   "must not be below similar_title_percent (" +
                                       std::to_string(rule.similar_title_percent()) + ")" +
                                       got(rule.duplicate_title_percent()));
  return Status::Ok();
}

Status check_evaluation(const EvaluationWeights& evaluation) {
  const std::uint64_t sum = std::uint64_t{evaluation.budget_execution_points()} +
                            evaluation.output_points() + evaluation.effect_points() +
                            evaluation.satisfaction_points();
  if (sum != kMaxPoints) {
    return Status::InvalidArgument(
        "evaluation",
        "budget_execution_points + output_points + effect_points + satisfaction_points must "
        "sum to 100" +
            got(sum));
  }
  if (evaluation.satisfaction_target_percent() > 100)
    return Status::InvalidArgument(
        "evaluation.satisfaction_target_percent",
        "must be at most 100" + got(evaluation.satisfaction_target_percent()));
  const auto& bands = evaluation.qualitative_bands();
  ZBB_RETURN_IF_ERROR(check_unique_names(
      bands, "evaluation.qualitative_bands", "band",
      [](const zbb::policy::QualitativeBand& b) -> const std::string& { return b.band(); }));
  for (int i = 0; i < bands.size(); ++i) {
    const std::string at =
        "evaluation." + indexed("qualitative_bands", static_cast<std::size_t>(i));
    if (bands[i].max_percent() > 100)
      return Status::InvalidArgument(at + ".max_percent",
                                     "must be at most 100" + got(bands[i].max_percent()));
    if (bands[i].min_percent() > bands[i].max_percent())
      return Status::InvalidArgument(at + ".min_percent",
                                     "must not be above max_percent" + got(bands[i].min_percent()));
  }
  if (evaluation.focused().approved_above() < 0)
    return Status::InvalidArgument(
        "evaluation.focused.approved_above",
        "must not be negative (got " + std::to_string(evaluation.focused().approved_above()) + ")");
  return Status::Ok();
}

// Unset (all zero) leaves the department report without an overall score.
Status check_department_evaluation(const zbb::policy::DepartmentEvaluation& d) {
  const std::uint64_t sum =
      std::uint64_t{d.execution_points()} + d.performance_points() + d.monitoring_points();
  if (sum != 0 && sum != kMaxPoints)
    return Status::InvalidArgument(
        "department_evaluation",
        "execution_points + performance_points + monitoring_points must sum to 100" + got(sum));
  return Status::Ok();
}

Status check_grade_scores(const pb::RepeatedPtrField<GradeBand>& bands) {
  const std::string field = "grade_bands";
  for (int i = 0; i < bands.size(); ++i) {
    const std::string score_field = indexed(field, static_cast<std::size_t>(i)) + ".min_score";
    const std::uint32_t score = bands[i].min_score();
    if (score > kMaxPoints)
      return Status::InvalidArgument(score_field, "must be at most 100" + got(score));
    // Highest grade first, so a score's grade is the first band it reaches.
    if (i > 0 && score >= bands[i - 1].min_score()) {
      return Status::InvalidArgument(
          score_field, "must be lower than " + indexed(field, static_cast<std::size_t>(i - 1)) +
                           ".min_score (" + std::to_string(bands[i - 1].min_score()) +
                           "); bands go from the highest grade down" + got(score));
    }
  }
  const std::uint32_t last = bands[bands.size() - 1].min_score();
  if (last != 0) {
    return Status::InvalidArgument(
        indexed(field, static_cast<std::size_t>(bands.size() - 1)) + ".min_score",
        "the last band must start at 0 so every score has a grade" + got(last));
  }
  return Status::Ok();
}

Status check_grade_bands(const pb::RepeatedPtrField<GradeBand>& bands) {
  const std::string field = "grade_bands";
  if (bands.empty()) return Status::InvalidArgument(field, "must have at least one band");
  ZBB_RETURN_IF_ERROR(check_unique_names(
      bands, field, "grade", [](const GradeBand& b) -> const std::string& { return b.grade(); }));
  return check_grade_scores(bands);
}

// ---- parsing ------------------------------------------------------------------------------

// An INVALID_ARGUMENT whose message stands on its own ("<source>: ..."); the offending thing is
// a file, not a request field, so field() stays empty and to_string() does not repeat it.
Status file_error(const std::string& source, const std::string& what) {
  return Status(Code::kInvalidArgument, source + ": " + what);
}

Status in_source(const Status& status, const std::string& source) {
  if (status.ok()) return status;
  if (status.field().empty()) return file_error(source, status.message());
  return file_error(source, status.field() + ": " + status.message());
}

// Keeps the parser's errors with their positions (1-based, as editors show them).
class CollectedErrors : public pb::io::ErrorCollector {
 public:
  explicit CollectedErrors(std::string source) : source_(std::move(source)) {}

  void AddError(int line, pb::io::ColumnNumber column, const std::string& message) override {
    errors_.push_back(source_ + ":" + std::to_string(line + 1) + ":" + std::to_string(column + 1) +
                      ": " + message);
  }

  Status status() const {
    if (errors_.empty()) return Status(Code::kInvalidArgument, source_ + ": could not be parsed");
    return Status(Code::kInvalidArgument, joined(errors_, "; "));
  }

 private:
  std::string source_;
  std::vector<std::string> errors_;
};

// The text format keeps the last of two map entries with the same key, so a state listed twice
// in sla_days would silently lose one value. The parsed entries are still all visible through
// reflection (map fields are repeated entry messages there) before the map is used.
Status check_repeated_sla_keys(const WorkflowPolicy& policy,
                               const pb::TextFormat::ParseInfoTree& locations) {
  const pb::FieldDescriptor* field =
      WorkflowPolicy::descriptor()->FindFieldByNumber(WorkflowPolicy::kSlaDaysFieldNumber);
  const pb::Reflection* reflection = policy.GetReflection();
  std::map<std::string, int> first_line;
  for (int i = 0; i < reflection->FieldSize(policy, field); ++i) {
    const pb::Message& entry = reflection->GetRepeatedMessage(policy, field, i);
    const std::string key =
        entry.GetReflection()->GetString(entry, entry.GetDescriptor()->map_key());
    const int line = locations.GetLocation(field, i).line + 1;
    const auto [it, inserted] = first_line.emplace(key, line);
    if (!inserted) {
      return Status::InvalidArgument(keyed("sla_days", key),
                                     "given more than once (lines " + std::to_string(it->second) +
                                         " and " + std::to_string(line) + ")");
    }
  }
  return Status::Ok();
}

Result<std::string> read_policy_file(const std::string& path) {
  return read_config_file(path, "policy file", kMaxPolicyFileBytes);
}

// Runs `body`, turning any exception (allocation failure, a library bug) into a Status, so that
// nothing escapes into zbbd's start-up code.
template <typename Body>
auto guarded(const std::string& what, Body body) -> decltype(body()) {
  try {
    return body();
  } catch (const std::exception& e) {
    return Status::Internal(what + ": " + e.what());
  } catch (...) {
    return Status::Internal(what + ": unknown exception");
  }
}

// ---- policy sets --------------------------------------------------------------------------

std::string loaded_versions(const std::vector<std::string>& versions) {
  return "loaded: " + joined(versions);
}

}  // namespace

Status validate_policy(const WorkflowPolicy& policy) {
  return guarded("validate_policy", [&]() -> Status {
    ZBB_RETURN_IF_ERROR(check_version(policy.version()));
    ZBB_RETURN_IF_ERROR(check_chain(policy.approval_chain(), "approval_chain"));
    ZBB_RETURN_IF_ERROR(check_chain(policy.adjustment_chain(), "adjustment_chain"));
    ZBB_RETURN_IF_ERROR(check_sla_days(policy.sla_days()));
    ZBB_RETURN_IF_ERROR(check_sla_calendar(policy.sla_calendar()).within("sla_calendar"));
    ZBB_RETURN_IF_ERROR(check_monitoring_fields(policy.monitoring()).within("monitoring"));
    ZBB_RETURN_IF_ERROR(check_ranking(policy.ranking_criteria()));
    ZBB_RETURN_IF_ERROR(check_increment_factors(policy.increment_factors()));
    ZBB_RETURN_IF_ERROR(check_tie_break(policy.tie_break()));
    if (!policy.evaluation_opens().empty())
      return Status::InvalidArgument(
          "evaluation_opens",
          "is replaced by year_end { evaluation_opens final_accounts }, days of the year after the "
          "fiscal year, e.g. year_end { evaluation_opens: \"01-15\" final_accounts: \"01-31\" }");
    ZBB_RETURN_IF_ERROR(
        check_month_day(policy.year_end().evaluation_opens(), "year_end.evaluation_opens"));
    ZBB_RETURN_IF_ERROR(
        check_month_day(policy.year_end().final_accounts(), "year_end.final_accounts"));
    ZBB_RETURN_IF_ERROR(check_evaluation(policy.evaluation()));
    ZBB_RETURN_IF_ERROR(check_department_evaluation(policy.department_evaluation()));
    ZBB_RETURN_IF_ERROR(check_public_columns(policy.disclosure()));
    ZBB_RETURN_IF_ERROR(check_grade_bands(policy.grade_bands()));
    ZBB_RETURN_IF_ERROR(check_copied_justification(policy.copied_justification()));
    ZBB_RETURN_IF_ERROR(check_prior_assessment(policy.prior_assessment()));
    ZBB_RETURN_IF_ERROR(check_library(policy.library()));
    return check_result_use(policy);  // after the bands it names
  });
}

Result<WorkflowPolicy> parse_policy_text(const std::string& text, const std::string& source) {
  return guarded(source, [&]() -> Result<WorkflowPolicy> {
    WorkflowPolicy policy;
    CollectedErrors errors(source);
    pb::TextFormat::ParseInfoTree locations;
    pb::TextFormat::Parser parser;  // refuses unknown fields: a misspelt field is an error
    parser.RecordErrorsTo(&errors);
    parser.WriteLocationsTo(&locations);
    if (!parser.ParseFromString(text, &policy)) return errors.status();
    ZBB_RETURN_IF_ERROR(in_source(check_repeated_sla_keys(policy, locations), source));
    ZBB_RETURN_IF_ERROR(in_source(validate_policy(policy), source));
    return policy;
  });
}

Result<WorkflowPolicy> load_policy_file(const std::string& path) {
  return guarded(path, [&]() -> Result<WorkflowPolicy> {
    Result<std::string> text = read_policy_file(path);
    if (!text.ok()) return text.status();
    return parse_policy_text(*text, path);
  });
}

Result<PolicySet> PolicySet::from_policies(std::vector<WorkflowPolicy> policies,
                                           const std::string& current_version,
                                           std::vector<std::string> sources) {
  return guarded("policy set", [&]() -> Result<PolicySet> {
    if (policies.empty()) return Status(Code::kInvalidArgument, "no policies given");
    if (!sources.empty() && sources.size() != policies.size()) {
      return Status(Code::kInvalidArgument, "policy sources do not match the policies");
    }
    for (std::size_t i = sources.size(); i < policies.size(); ++i) {
      sources.push_back(indexed("policies", i));
    }
    PolicySet set;
    std::map<std::string, std::string> source_of;
    for (std::size_t i = 0; i < policies.size(); ++i) {
      ZBB_RETURN_IF_ERROR(in_source(validate_policy(policies[i]), sources[i]));
      const std::string version = policies[i].version();
      const auto [it, inserted] = source_of.emplace(version, sources[i]);
      if (!inserted) {
        return Status(Code::kInvalidArgument, "policy version " + in_quotes(version) +
                                                  " is defined twice: in " + it->second +
                                                  " and in " + sources[i]);
      }
      set.policies_.emplace(version, std::move(policies[i]));
    }
    if (!current_version.empty()) {
      if (!set.policies_.contains(current_version)) {
        return Status(Code::kInvalidArgument, "current policy version " +
                                                  in_quotes(current_version) + " is not loaded (" +
                                                  loaded_versions(set.versions()) + ")");
      }
      set.current_version_ = current_version;
    } else if (set.policies_.size() == 1) {
      set.current_version_ = set.policies_.begin()->first;
    } else {
      return Status(Code::kInvalidArgument,
                    "several policies are loaded (" + loaded_versions(set.versions()) +
                        "); name the current version new lines are created under");
    }
    return set;
  });
}

const WorkflowPolicy& PolicySet::current() const {
  const auto it = policies_.find(current_version_);
  assert(it != policies_.end());  // guaranteed by from_policies
  return it->second;
}

const WorkflowPolicy* PolicySet::find(const std::string& version) const {
  const auto it = policies_.find(version);
  return it == policies_.end() ? nullptr : &it->second;
}

std::vector<std::string> PolicySet::versions() const {
  std::vector<std::string> versions;
  versions.reserve(policies_.size());
  for (const auto& [version, policy] : policies_) versions.push_back(version);
  return versions;
}

Result<PolicySet> load_policy_files(const std::vector<std::string>& paths,
                                    const std::string& current_version) {
  return guarded("policy files", [&]() -> Result<PolicySet> {
    if (paths.empty()) return Status(Code::kInvalidArgument, "no policy files given");
    std::vector<WorkflowPolicy> policies;
    policies.reserve(paths.size());
    for (const std::string& path : paths) {
      Result<WorkflowPolicy> policy = load_policy_file(path);
      if (!policy.ok()) return policy.status();
      policies.push_back(std::move(policy).value());
    }
    return PolicySet::from_policies(std::move(policies), current_version, paths);
  });
}

}  // namespace zbb::review
