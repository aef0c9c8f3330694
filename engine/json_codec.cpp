#include "engine/json_codec.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <utility>

namespace zbb {
namespace {

using nlohmann::json;

json to_json_value(const CostItem& item) {
  return {{"name", item.name},
          {"quantity", item.quantity},
          {"unit_price", item.unit_price},
          {"amount", item.amount}};
}

json to_json_value(const Indicator& indicator) {
  json j = {{"name", indicator.name},
            {"level1", to_string(indicator.level1)},
            {"level2", to_string(indicator.level2)},
            {"quantitative", indicator.quantitative},
            {"unit", indicator.unit},
            {"target", indicator.target},
            {"direction", to_string(indicator.direction)}};
  if (indicator.actual) j["actual"] = *indicator.actual;
  return j;
}

json to_json_value(const Increment& increment) {
  return {{"level", to_string(increment.level)},
          {"amount", increment.amount},
          {"justification", increment.justification}};
}

json to_json_value(const IncomingReallocation& in) {
  return {{"from_line", in.from_line}, {"amount", in.amount}};
}

json to_json_value(const CriterionScore& score) {
  return {{"criterion", score.criterion}, {"score", score.score}};
}

json to_json_value(const PriorityScore& p);
json to_json_value(const PriorResult& p) {
  json j = {{"line_id", p.line_id},
            {"fiscal_year", p.fiscal_year},
            {"grade", p.grade},
            {"score_tenths", p.score_tenths},
            {"approved_amount", p.approved_amount},
            {"flagged", p.flagged}};
  if (p.ceiling) j["ceiling"] = *p.ceiling;
  return j;
}
json to_json_value(const RankingPlacement& p);

json to_json_value(const ApprovalRecord& record) {
  return {{"level", record.level},
          {"actor", record.actor},
          {"decision", to_string(record.decision)},
          {"amount", record.amount},
          {"comment", record.comment},
          {"at_ms", to_millis(record.at)}};
}

}  // namespace

json to_json_value(const MonitoringResult& m) {
  return {{"level", to_string(m.level)},
          {"as_of", m.as_of},
          {"execution_rate_bp", m.execution_rate_bp},
          {"time_progress_bp", m.time_progress_bp},
          {"indicator_completion_bp", m.indicator_completion_bp},
          {"reasons", m.reasons}};
}

namespace {

json to_json_value(const Adjustment& a) {
  json decisions = json::array();
  for (const auto& d : a.decisions) decisions.push_back(to_json_value(d));
  return {{"kind", to_string(a.kind)},    {"amount", a.amount},
          {"indicator", a.indicator},     {"new_target", a.new_target},
          {"reason", a.reason},           {"target_line", a.target_line},
          {"proposed_by", a.proposed_by}, {"proposed_at_ms", to_millis(a.proposed_at)},
          {"decisions", decisions},       {"outcome", to_string(a.outcome)}};
}

json to_json_value(const Evaluation& e) {
  return {{"satisfaction_percent", e.satisfaction_percent},
          {"summary", e.summary},
          {"submitted_by", e.submitted_by},
          {"execution_tenths", e.execution_tenths},
          {"output_tenths", e.output_tenths},
          {"effect_tenths", e.effect_tenths},
          {"satisfaction_tenths", e.satisfaction_tenths},
          {"score_tenths", e.score_tenths},
          {"grade", e.grade}};
}

template <typename T>
json array_of(const std::vector<T>& items) {
  json array = json::array();
  for (const auto& item : items) array.push_back(to_json_value(item));
  return array;
}

json to_json_value(const PriorityScore& p) {
  return {{"scores", array_of(p.scores)},
          {"score_hundredths", p.score_hundredths},
          {"scored_by", p.scored_by},
          {"scored_at_ms", to_millis(p.scored_at)}};
}

json to_json_value(const RankingPlacement& p) {
  json levels = json::array();
  for (auto level : p.funded_levels) levels.push_back(to_string(level));
  return {{"ranking_id", p.ranking_id}, {"rank", p.rank}, {"funded_levels", levels}};
}

// Reads a JSON object field by field, remembering the path so errors name the field.
class Reader {
 public:
  Reader(const json& object, std::string path) : object_(object), path_(std::move(path)) {}

  const Status& status() const { return status_; }

  // A required field of exactly type T: a missing field, another type, a fraction for an
  // integer or a number out of T's range is an error naming the field.
  template <typename T>
  T get(const char* name) {
    const json* value = find(name);
    if (value == nullptr) {
      fail(name, "is required");
      return T{};
    }
    return convert<T>(name, *value);
  }

  // An optional field: `fallback` when absent or null.
  template <typename T>
  T get_or(const char* name, T fallback) {
    const json* value = find(name);
    if (value == nullptr || value->is_null()) return fallback;
    return convert<T>(name, *value);
  }

  template <typename Enum>
  Enum get_enum(const char* name, Enum fallback) {
    const auto text = get<std::string>(name);
    if (!status_.ok()) return fallback;
    if (auto parsed = parse_enum<Enum>(text)) return *parsed;
    fail(name, fmt::format("unknown value \"{}\"", text));
    return fallback;
  }

  template <typename T>
  std::optional<T> get_optional(const char* name) {
    const json* value = find(name);
    if (value == nullptr || value->is_null()) return std::nullopt;
    return convert<T>(name, *value);
  }

  Timestamp get_time(const char* name) { return checked_time(name, get<std::int64_t>(name)); }

  // A time read as milliseconds: refused outside the calendar (see within_calendar()).
  Timestamp checked_time(const char* name, std::int64_t ms) {
    if (within_calendar(ms)) return from_millis(ms);
    fail(name, "is out of range");
    return Timestamp{};
  }

  // Calls read(Reader&) for each element of the array field `name`.
  template <typename T, typename ReadElement>
  std::vector<T> get_array(const char* name, ReadElement read) {
    std::vector<T> out;
    const json* value = find(name);
    if (value == nullptr) {
      fail(name, "is required");
      return out;
    }
    if (!value->is_array()) {
      fail(name, "must be an array");
      return out;
    }
    for (std::size_t i = 0; i < value->size() && status_.ok(); ++i) {
      const std::string element_path = fmt::format("{}[{}]", field_path(name), i);
      if (!(*value)[i].is_object()) {
        status_ = Status::InvalidArgument(element_path, "must be an object");
        break;
      }
      Reader element((*value)[i], element_path);
      out.push_back(read(element));
      if (!element.status().ok()) status_ = element.status();
    }
    return out;
  }

  // An optional array field: empty when absent.
  template <typename T, typename ReadElement>
  std::vector<T> get_array_or_empty(const char* name, ReadElement read) {
    if (status_.ok() && !object_.contains(name)) return {};
    return get_array<T>(name, read);
  }

  // Reads the object field `name` with read(Reader&), when present.
  template <typename T, typename ReadObject>
  std::optional<T> get_object(const char* name, ReadObject read) {
    const json* value = find(name);
    if (value == nullptr || value->is_null()) return std::nullopt;
    if (!value->is_object()) {
      fail(name, "must be an object");
      return std::nullopt;
    }
    Reader inner(*value, field_path(name));
    T result = read(inner);
    if (!inner.status().ok()) status_ = inner.status();
    return result;
  }

 private:
  template <typename T>
  T convert(const char* name, const json& value) {
    if constexpr (std::is_same_v<T, std::string>) {
      if (value.is_string()) return value.get<std::string>();
    } else if constexpr (std::is_same_v<T, bool>) {
      if (value.is_boolean()) return value.get<bool>();
    } else if constexpr (std::is_floating_point_v<T>) {
      if (value.is_number()) return value.get<T>();
    } else if constexpr (std::is_integral_v<T>) {
      if (value.is_number_unsigned()) {
        const auto n = value.get<std::uint64_t>();
        if (n <= static_cast<std::uint64_t>(std::numeric_limits<T>::max()))
          return static_cast<T>(n);
        fail(name, "is out of range");
        return T{};
      }
      if (value.is_number_integer()) {
        const auto n = value.get<std::int64_t>();
        if (std::in_range<T>(n)) return static_cast<T>(n);
        fail(name, "is out of range");
        return T{};
      }
      if (value.is_number_float()) {
        fail(name, "must be a whole number");
        return T{};
      }
    } else {  // std::vector<std::string>
      if (value.is_array() &&
          std::all_of(value.begin(), value.end(), [](const json& v) { return v.is_string(); }))
        return value.get<T>();
    }
    fail(name, fmt::format("has the wrong type ({})", value.type_name()));
    return T{};
  }

  const json* find(const char* name) {
    if (!status_.ok()) return nullptr;
    auto it = object_.find(name);
    return it == object_.end() ? nullptr : &*it;
  }
  std::string field_path(const char* name) const {
    return path_.empty() ? std::string(name) : path_ + "." + name;
  }
  void fail(const char* name, std::string reason) {
    if (status_.ok()) status_ = Status::InvalidArgument(field_path(name), std::move(reason));
  }

  const json& object_;
  std::string path_;
  Status status_;
};

CostItem read_cost_item(Reader& r) {
  return {r.get<std::string>("name"), r.get<std::int64_t>("quantity"), r.get<Fen>("unit_price"),
          r.get<Fen>("amount")};
}

Indicator read_indicator(Reader& r) {
  Indicator i;
  i.name = r.get<std::string>("name");
  i.level1 = r.get_enum("level1", IndicatorLevel1::kOutput);
  i.level2 = r.get_enum("level2", IndicatorLevel2::kQuantity);
  i.quantitative = r.get_or<bool>("quantitative", true);
  i.unit = r.get_or<std::string>("unit", "");
  i.target = r.get<double>("target");
  i.direction = r.get_enum("direction", Direction::kAtLeast);
  i.actual = r.get_optional<double>("actual");
  return i;
}

Increment read_increment(Reader& r) {
  return {r.get_enum("level", IncrementLevel::kMinimum), r.get<Fen>("amount"),
          r.get<std::string>("justification")};
}

CriterionScore read_criterion_score(Reader& r) {
  return {r.get<std::string>("criterion"), r.get<std::int64_t>("score")};
}

PriorResult read_prior(Reader& r) {
  PriorResult p;
  p.line_id = r.get<std::string>("line_id");
  p.fiscal_year = r.get<int>("fiscal_year");
  p.grade = r.get<std::string>("grade");
  p.score_tenths = r.get<std::int64_t>("score_tenths");
  p.approved_amount = r.get<Fen>("approved_amount");
  p.flagged = r.get<bool>("flagged");
  p.ceiling = r.get_optional<Fen>("ceiling");
  return p;
}

PriorityScore read_priority(Reader& r) {
  PriorityScore p;
  p.scores = r.get_array<CriterionScore>("scores", read_criterion_score);
  p.score_hundredths = r.get<std::int64_t>("score_hundredths");
  p.scored_by = r.get<std::string>("scored_by");
  p.scored_at = r.get_time("scored_at_ms");
  return p;
}

RankingPlacement read_placement(Reader& r) {
  RankingPlacement p;
  p.ranking_id = r.get<std::string>("ranking_id");
  p.rank = r.get<std::int64_t>("rank");
  for (const auto& name : r.get<std::vector<std::string>>("funded_levels")) {
    if (auto level = parse_enum<IncrementLevel>(name)) p.funded_levels.push_back(*level);
  }
  return p;
}

LineContent read_content(Reader& r) {
  LineContent c;
  c.fiscal_year = r.get<int>("fiscal_year");
  c.department = r.get<std::string>("department");
  c.programme_code = r.get<std::string>("programme_code");
  c.title = r.get<std::string>("title");
  c.category = r.get_enum("category", Category::kProject);
  c.requested_amount = r.get<Fen>("requested_amount");
  c.cost_items = r.get_array<CostItem>("cost_items", read_cost_item);
  c.necessity_statement = r.get<std::string>("necessity_statement");
  c.indicators = r.get_array<Indicator>("indicators", read_indicator);
  c.increments = r.get_array_or_empty<Increment>("increments", read_increment);
  return c;
}

ApprovalRecord read_approval(Reader& r) {
  return {r.get<std::string>("level"),
          r.get<std::string>("actor"),
          r.get_enum("decision", Decision::kApprove),
          r.get<Fen>("amount"),
          r.get<std::string>("comment"),
          r.get_time("at_ms")};
}

MonitoringResult read_monitoring(Reader& r) {
  return {
      r.get_enum("level", WarningLevel::kNone),       r.get<std::string>("as_of"),
      r.get<std::int64_t>("execution_rate_bp"),       r.get<std::int64_t>("time_progress_bp"),
      r.get<std::int64_t>("indicator_completion_bp"), r.get<std::vector<std::string>>("reasons")};
}

Adjustment read_adjustment(Reader& r) {
  Adjustment a;
  a.kind = r.get_enum("kind", AdjustmentKind::kReduce);
  a.amount = r.get<Fen>("amount");
  a.indicator = r.get<std::string>("indicator");
  a.new_target = r.get<double>("new_target");
  a.reason = r.get<std::string>("reason");
  a.target_line = r.get_or<std::string>("target_line", "");
  a.proposed_by = r.get<std::string>("proposed_by");
  a.proposed_at = r.get_time("proposed_at_ms");
  a.decisions = r.get_array<ApprovalRecord>("decisions", read_approval);
  a.outcome = r.get_enum("outcome", AdjustmentOutcome::kPending);
  return a;
}

Evaluation read_evaluation(Reader& r) {
  Evaluation e;
  e.satisfaction_percent = r.get<std::int64_t>("satisfaction_percent");
  e.summary = r.get<std::string>("summary");
  e.submitted_by = r.get<std::string>("submitted_by");
  e.execution_tenths = r.get<std::int64_t>("execution_tenths");
  e.output_tenths = r.get<std::int64_t>("output_tenths");
  e.effect_tenths = r.get<std::int64_t>("effect_tenths");
  e.satisfaction_tenths = r.get<std::int64_t>("satisfaction_tenths");
  e.score_tenths = r.get<std::int64_t>("score_tenths");
  e.grade = r.get<std::string>("grade");
  return e;
}

BudgetLine read_line(Reader& r) {
  BudgetLine l;
  l.id = r.get<std::string>("id");
  l.content = r.get_object<LineContent>("content", read_content).value_or(LineContent{});
  l.state = r.get<std::string>("state");
  l.waiting_on = r.get<std::string>("waiting_on");
  l.version = r.get<std::int64_t>("version");
  l.policy_version = r.get<std::string>("policy_version");
  l.created_by = r.get<std::string>("created_by");
  l.submitted_by = r.get<std::string>("submitted_by");
  l.preparers = r.get_or<std::vector<std::string>>("preparers", {});
  l.created_at = r.get_time("created_at_ms");
  l.submitted_at = r.checked_time("submitted_at_ms", r.get_or<std::int64_t>("submitted_at_ms", 0));
  l.updated_at = r.get_time("updated_at_ms");
  l.state_entered_at = r.get_time("state_entered_at_ms");
  if (auto due = r.get_optional<std::int64_t>("due_at_ms"))
    l.due_at = r.checked_time("due_at_ms", *due);
  l.sla_breached = r.get_or<bool>("sla_breached", false);
  l.review_claimed_by = r.get<std::string>("review_claimed_by");
  l.prior = r.get_object<PriorResult>("prior", read_prior);
  l.priority = r.get_object<PriorityScore>("priority", read_priority);
  l.placement = r.get_object<RankingPlacement>("placement", read_placement);
  l.funded_amount = r.get<Fen>("funded_amount");
  l.approval_step = r.get<std::size_t>("approval_step");
  l.granted_amount = r.get<Fen>("granted_amount");
  l.approved_amount = r.get<Fen>("approved_amount");
  l.approvals = r.get_array<ApprovalRecord>("approvals", read_approval);
  l.spent_amount = r.get<Fen>("spent_amount");
  l.monitoring = r.get_object<MonitoringResult>("monitoring", read_monitoring);
  l.pending_adjustment = r.get_object<Adjustment>("pending_adjustment", read_adjustment);
  l.adjustments = r.get_array<Adjustment>("adjustments", read_adjustment);
  l.incoming = r.get_array_or_empty<IncomingReallocation>("incoming", [](Reader& in) {
    return IncomingReallocation{in.get<std::string>("from_line"), in.get<Fen>("amount")};
  });
  l.evaluation = r.get_object<Evaluation>("evaluation", read_evaluation);
  return l;
}

template <typename T, typename ReadObject>
Result<T> parse_document(const std::string& text, ReadObject read) {
  json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object())
    return Status::Internal("stored document is not a JSON object");
  Reader reader(document, "");
  T value = read(reader);
  if (!reader.status().ok())
    return Status::Internal("stored document: " + reader.status().to_string());
  return value;
}

// Event payloads: the data each action carries, in the same names as the API.
json action_data(const CreateLine& a) {
  json j = {{"content", to_json_value(a.content)}};
  if (a.prior) j["prior"] = to_json_value(*a.prior);
  return j;
}
json action_data(const ReviseLine& a) { return {{"content", to_json_value(a.content)}}; }
json action_data(const SubmitLine&) { return json::object(); }
json action_data(const StartTargetReview&) { return json::object(); }
json action_data(const ReviewTargets& a) { return {{"accept", a.accept}, {"comment", a.comment}}; }
json action_data(const ScorePriority& a) {
  return {{"scores", array_of(a.scores)}, {"comment", a.comment}};
}
json action_data(const FundLine& a) {
  json j = {{"amount", a.amount}, {"comment", a.comment}};
  if (a.placement) j["placement"] = to_json_value(*a.placement);
  return j;
}
json action_data(const DecideApproval& a) {
  // An approval without an amount (all that was granted before) is null, never 0: the two are
  // different requests.
  return {{"level", a.level},
          {"decision", to_string(a.decision)},
          {"amount", a.amount ? json(*a.amount) : json(nullptr)},
          {"comment", a.comment}};
}
json action_data(const RecordSpending& a) {
  return {{"amount", a.amount}, {"payment_ref", a.payment_ref}, {"comment", a.comment}};
}
json action_data(const RecordIndicatorProgress& a) {
  return {{"indicator", a.indicator}, {"actual", a.actual}};
}
json action_data(const RunCheckpoint& a) { return {{"as_of", format_date(a.as_of)}}; }
json action_data(const ProposeAdjustment& a) {
  return {{"kind", to_string(a.kind)},  {"amount", a.amount}, {"indicator", a.indicator},
          {"new_target", a.new_target}, {"reason", a.reason}, {"target_line", a.target_line}};
}
json action_data(const DecideAdjustment& a) {
  return {{"level", a.level}, {"decision", to_string(a.decision)}, {"comment", a.comment}};
}
json action_data(const BeginEvaluation&) { return json::object(); }
json action_data(const SubmitSelfEvaluation& a) {
  json actuals = json::array();
  for (const auto& v : a.final_actuals)
    actuals.push_back({{"indicator", v.indicator}, {"actual", v.actual}});
  return {{"final_actuals", actuals},
          {"satisfaction_percent", a.satisfaction_percent},
          {"summary", a.summary}};
}
json action_data(const CloseLine& a) { return {{"comment", a.comment}}; }
json action_data(const WithdrawLine& a) { return {{"reason", a.reason}}; }
json action_data(const ExpectReallocation& a) {
  return {{"from_line", a.from_line},
          {"fiscal_year", a.fiscal_year},
          {"amount", a.amount},
          {"department", a.department}};
}
json action_data(const ReceiveReallocation& a) {
  return {{"from_line", a.from_line}, {"amount", a.amount}};
}
json action_data(const CancelReallocation& a) { return {{"from_line", a.from_line}}; }
json action_data(const RecordSlaBreach& a) { return {{"state", a.state}}; }

}  // namespace

std::string_view action_type(const Action& action) {
  return std::visit([](const auto& a) { return std::decay_t<decltype(a)>::kType; }, action);
}

json to_json_value(const LineContent& c) {
  return {{"fiscal_year", c.fiscal_year},         {"department", c.department},
          {"programme_code", c.programme_code},   {"title", c.title},
          {"category", to_string(c.category)},    {"requested_amount", c.requested_amount},
          {"cost_items", array_of(c.cost_items)}, {"necessity_statement", c.necessity_statement},
          {"indicators", array_of(c.indicators)}, {"increments", array_of(c.increments)}};
}

namespace {

// Every member of the line's document but its content.
json fields_but_content(const BudgetLine& l) {
  json j = {{"id", l.id},
            {"state", l.state},
            {"waiting_on", l.waiting_on},
            {"version", l.version},
            {"policy_version", l.policy_version},
            {"created_by", l.created_by},
            {"submitted_by", l.submitted_by},
            {"preparers", l.preparers},
            {"created_at_ms", to_millis(l.created_at)},
            {"submitted_at_ms", to_millis(l.submitted_at)},
            {"updated_at_ms", to_millis(l.updated_at)},
            {"state_entered_at_ms", to_millis(l.state_entered_at)},
            {"review_claimed_by", l.review_claimed_by},
            {"funded_amount", l.funded_amount},
            {"approval_step", l.approval_step},
            {"granted_amount", l.granted_amount},
            {"approved_amount", l.approved_amount},
            {"approvals", array_of(l.approvals)},
            {"spent_amount", l.spent_amount},
            {"adjustments", array_of(l.adjustments)},
            {"incoming", array_of(l.incoming)}};
  if (l.due_at) j["due_at_ms"] = to_millis(*l.due_at);
  if (l.sla_breached) j["sla_breached"] = true;
  if (l.prior) j["prior"] = to_json_value(*l.prior);
  if (l.priority) j["priority"] = to_json_value(*l.priority);
  if (l.placement) j["placement"] = to_json_value(*l.placement);
  if (l.monitoring) j["monitoring"] = to_json_value(*l.monitoring);
  if (l.pending_adjustment) j["pending_adjustment"] = to_json_value(*l.pending_adjustment);
  if (l.evaluation) j["evaluation"] = to_json_value(*l.evaluation);
  return j;
}

}  // namespace

json to_json_value(const BudgetLine& l) {
  json j = fields_but_content(l);
  j["content"] = to_json_value(l.content);
  return j;
}

json to_json_value(const CommandOutcome& outcome) {
  json items = json::array();
  for (const auto& item : outcome.items)
    items.push_back({{"line_id", item.line_id}, {"version", item.version}, {"state", item.state}});
  return {{"items", items}, {"last_sequence", outcome.last_sequence}};
}

json to_json_value(const Action& action) {
  return std::visit([](const auto& a) { return action_data(a); }, action);
}

std::string to_json_text(const BudgetLine& line) { return to_json_value(line).dump(); }

std::string to_json_text(const LineContent& content) { return to_json_value(content).dump(); }

std::string to_json_text(const BudgetLine& line, std::string_view content_text) {
  const std::string rest = fields_but_content(line).dump();  // "{...}", never empty
  std::string text;
  text.reserve(rest.size() + content_text.size() + 12);
  text.append("{\"content\":").append(content_text).append(",").append(rest, 1);
  return text;
}
std::string to_json_text(const CommandOutcome& outcome) { return to_json_value(outcome).dump(); }

Result<LineContent> line_content_from_json(const json& json) {
  if (!json.is_object()) return Status::InvalidArgument("content", "must be an object");
  Reader reader(json, "");
  LineContent content = read_content(reader);
  if (!reader.status().ok()) return reader.status();
  return content;
}

Result<BudgetLine> budget_line_from_json_text(const std::string& text) {
  return parse_document<BudgetLine>(text, read_line);
}

Result<CommandOutcome> command_outcome_from_json_text(const std::string& text) {
  return parse_document<CommandOutcome>(text, [](Reader& r) {
    CommandOutcome outcome;
    outcome.items = r.get_array<LineOutcome>("items", [](Reader& item) {
      return LineOutcome{item.get<std::string>("line_id"), item.get<std::int64_t>("version"),
                         item.get<std::string>("state")};
    });
    outcome.last_sequence = r.get<std::int64_t>("last_sequence");
    return outcome;
  });
}

}  // namespace zbb
