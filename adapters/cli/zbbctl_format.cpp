#include "adapters/cli/zbbctl_format.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <utility>
#include <vector>

#include "adapters/cli/duration_text.h"
#include "adapters/cli/event_summary.h"
#include "adapters/cli/text_table.h"
#include "engine/money.h"

namespace zbb::cli {
namespace {

namespace v1 = zbb::v1;
using Align = TextTable::Align;

bool is_set(const google::protobuf::Timestamp& at) { return at.seconds() != 0 || at.nanos() != 0; }

// "WARNING_LEVEL_RED" without "WARNING_LEVEL_", in lower case: "red".
std::string enum_label(const std::string& full_name, std::string_view prefix) {
  std::string label = full_name.starts_with(prefix) ? full_name.substr(prefix.size()) : full_name;
  std::transform(label.begin(), label.end(), label.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return label;
}

std::string transition(const v1::RecordedEvent& event) {
  if (event.from_state().empty()) return "→ " + event.to_state();
  if (event.from_state() == event.to_state()) return event.to_state();
  return event.from_state() + " → " + event.to_state();
}

std::string warning_text(const v1::BudgetLine& line) {
  if (!line.has_monitoring() || line.monitoring().level() == v1::WARNING_LEVEL_UNSPECIFIED)
    return "-";
  const auto& monitoring = line.monitoring();
  std::string text = enum_label(v1::WarningLevel_Name(monitoring.level()), "WARNING_LEVEL_");
  if (!monitoring.as_of().empty()) text += " as of " + monitoring.as_of();
  // Which checkpoint judged it (unset in verdicts of the single Q2 checkpoint of before).
  if (!monitoring.checkpoint().empty())
    text += " at the " + monitoring.checkpoint() + " checkpoint" +
            (monitoring.dual() ? " (dual monitoring)" : "");
  text += fmt::format(" (execution {}, time {})", percent_text(monitoring.execution_rate_bp()),
                      percent_text(monitoring.time_progress_bp()));
  for (const auto& reason : monitoring.reasons()) text += "; " + reason;
  return text;
}

// "awaiting review (red as of 2027-06-30): 加快支付进度 by 2027-07-31, answered by unit.x".
std::string correction_text(const v1::BudgetLine& line) {
  const auto& c = line.correction();
  std::string text = fmt::format(
      "{} ({} as of {})", enum_label(v1::CorrectionStatus_Name(c.status()), "CORRECTION_STATUS_"),
      enum_label(v1::WarningLevel_Name(c.level()), "WARNING_LEVEL_"), c.as_of());
  if (!c.measures().empty())
    text += fmt::format(": {} by {}, answered by {}", c.measures(), c.deadline(), c.answered_by());
  if (!c.reviewed_by().empty())
    text += fmt::format(" (reviewed by {}{})", c.reviewed_by(),
                        c.review_comment().empty() ? "" : ": " + c.review_comment());
  if (c.has_recheck())
    text += fmt::format("; re-checked {} as of {}",
                        enum_label(v1::WarningLevel_Name(c.recheck().level()), "WARNING_LEVEL_"),
                        c.recheck().as_of());
  return text;
}

std::string grade_text(const v1::BudgetLine& line) {
  if (!line.has_evaluation() || line.evaluation().grade().empty()) return "-";
  const auto& evaluation = line.evaluation();
  return fmt::format("{} (score {}.{})", evaluation.grade(), evaluation.score_tenths() / 10,
                     evaluation.score_tenths() % 10);
}

// Who evaluated the line beyond its unit: the focused evaluation and finance's reviews.
std::string evaluation_text(const v1::BudgetLine& line) {
  std::string text;
  const auto score = [](std::int64_t tenths, const std::string& grade) {
    return fmt::format("{} (score {}.{})", grade, tenths / 10, tenths % 10);
  };
  if (line.has_focused()) {
    std::string reasons;
    for (const auto& reason : line.focused().reasons())
      reasons += (reasons.empty() ? "" : "; ") + reason;
    text = fmt::format("focused evaluation, selected by {}: {}", line.focused().selected_by(),
                       reasons);
    if (!line.focused().evaluated_by().empty())
      text += fmt::format("; evaluated by {}", line.focused().evaluated_by());
    if (line.has_self_evaluation())
      text +=
          fmt::format("; the unit's self-evaluation: {}",
                      score(line.self_evaluation().score_tenths(), line.self_evaluation().grade()));
  }
  for (const auto& review : line.evaluation().reviews())
    text += fmt::format("{}reviewed by {}: {} → {}", text.empty() ? "" : "; ", review.reviewed_by(),
                        score(review.score_tenths_before(), review.grade_before()),
                        score(review.score_tenths_after(), review.grade_after()));
  return text;
}

std::string permille_text(std::int32_t permille) {
  return fmt::format("{}.{} %", permille / 10, permille % 10);
}

// Where the line's rectification report stands, when its programme's grade asks for one.
std::string rectification_state(const v1::BudgetLine& line) {
  const auto& prior = line.prior();
  const auto& report = line.rectification();
  if (report.evaluated_line() != prior.line_id()) return "rectification report due";
  switch (report.status()) {
    case v1::RECTIFICATION_STATUS_SUBMITTED:
      return "rectification report awaiting review";
    case v1::RECTIFICATION_STATUS_ACCEPTED:
      return "rectification report accepted";
    case v1::RECTIFICATION_STATUS_RETURNED:
      return "rectification report returned";
    default:
      return "rectification report due";
  }
}

// What reviewers are warned of on a line: the grade of its programme that result use acts on,
// what its latest submission restates from other lines. Short labels for tables of lines…
std::vector<std::string> flag_labels(const v1::BudgetLine& line) {
  std::vector<std::string> labels;
  if (line.has_prior() && line.prior().flagged()) {
    labels.push_back(fmt::format("{} {}", line.prior().grade(), line.prior().fiscal_year()));
    // A report accepted on an older evaluation answers nothing now.
    if (line.prior().rectification_required() &&
        (line.rectification().evaluated_line() != line.prior().line_id() ||
         line.rectification().status() != v1::RECTIFICATION_STATUS_ACCEPTED))
      labels.push_back("rectification");
  }
  if (!line.assessment_due().empty() && !line.assessment().approved())
    labels.push_back("assessment due");
  std::int32_t copied = -1;
  for (const auto& part : line.copied()) copied = std::max(copied, part.similarity_permille());
  if (copied >= 0) labels.push_back("copied " + permille_text(copied));
  return labels;
}

// …and sentences for a line's details.
std::string flags_text(const v1::BudgetLine& line) {
  std::vector<std::string> flags;
  if (line.has_prior() && line.prior().flagged()) {
    const auto& prior = line.prior();
    std::string flag = fmt::format("graded {} in {} (line {})", prior.grade(), prior.fiscal_year(),
                                   prior.line_id());
    if (prior.has_ceiling() && prior.cut_percent() > 0)
      flag += fmt::format(", cut {} %: funded at most {} yuan", prior.cut_percent(),
                          format_yuan(prior.ceiling()));
    else if (prior.has_ceiling())  // set before ceilings were cuts of this year's request
      flag += fmt::format(", funded at most {} yuan", format_yuan(prior.ceiling()));
    if (prior.rectification_required()) flag += ", " + rectification_state(line);
    flags.push_back(std::move(flag));
  }
  for (const auto& part : line.copied()) {
    std::string name = part.part();
    std::replace(name.begin(), name.end(), '_', ' ');
    std::string flag =
        fmt::format("{} {} like line {} of {}", name, permille_text(part.similarity_permille()),
                    part.line_id(), part.fiscal_year());
    // A justification carried over under a new programme code says whose it was.
    if (!part.programme_code().empty() && part.programme_code() != line.content().programme_code())
      flag += " (programme " + part.programme_code() + ")";
    flags.push_back(std::move(flag));
  }
  if (flags.empty()) return "-";
  std::string text;
  for (const auto& flag : flags) text += (text.empty() ? "" : "; ") + flag;
  return text;
}

// Targets restated for the money approved: "accepted by wang.reviewer: 养护里程 96 → 60 公里, …",
// a package's indicator with its package: "应急抢修处置 (minimum package) 20 → 15 处".
std::string restated_targets_text(const v1::BudgetLine& line) {
  const auto& r = line.restated_targets();
  std::string text =
      fmt::format("{} for {} of {} yuan",
                  enum_label(v1::RestatementStatus_Name(r.status()), "RESTATEMENT_STATUS_"),
                  format_yuan(r.approved_amount()), format_yuan(r.requested_amount()));
  if (!r.restated_by().empty()) text += " (restated by " + r.restated_by();
  if (!r.reviewed_by().empty()) text += ", reviewed by " + r.reviewed_by();
  if (!r.restated_by().empty()) text += ")";
  if (!r.comment().empty()) text += ": " + r.comment();
  const auto changes = [&](const auto& requested, const auto& restated, const std::string& whose) {
    for (int i = 0; i < restated.size() && i < requested.size(); ++i) {
      const auto& was = requested[i];
      const auto& now = restated[i];
      if (!was.qualitative() && was.target() != now.target())
        text += fmt::format("; {}{} {} → {} {}", was.name(), whose, was.target(), now.target(),
                            was.unit());
    }
  };
  changes(r.requested(), r.restated(), "");
  for (int p = 0; p < r.restated_packages_size() && p < r.requested_packages_size(); ++p)
    changes(r.requested_packages(p).indicators(), r.restated_packages(p).indicators(),
            fmt::format(" ({} package)",
                        enum_label(v1::IncrementLevel_Name(r.requested_packages(p).level()),
                                   "INCREMENT_LEVEL_")));
  return text;
}

// Whether the latest submission needs a prior assessment, and the one recorded.

std::string assessment_text(const v1::BudgetLine& line) {
  std::string text;
  if (line.has_assessment()) {
    const auto& assessment = line.assessment();
    int passed = 0;
    for (const auto& part : assessment.parts()) passed += part.passed() ? 1 : 0;
    const std::string at = format_time(assessment.assessed_at());
    text = fmt::format("{} by {}{}, {} of {} parts passed",
                       assessment.approved() ? "approved" : "against", assessment.assessed_by(),
                       at.empty() ? "" : " on " + at, passed, assessment.parts_size());
    if (!assessment.comment().empty()) text += ": " + assessment.comment();
  }
  if (!line.assessment_due().empty())
    text += (text.empty() ? "due, none recorded" : "") + std::string(" (required: ") +
            line.assessment_due() + ")";
  return text;
}

// The programme's record as result use read it: the evaluation used, last year's monitoring
// verdict, and the points the history criterion gets from them.
std::string record_text(const v1::BudgetLine& line) {
  if (!line.has_prior()) return "no evaluation or monitoring of the programme";
  const auto& prior = line.prior();
  std::string text =
      prior.line_id().empty()
          ? std::string("no closed evaluation")
          : fmt::format("{} in {} (line {}, score {}.{})", prior.grade(), prior.fiscal_year(),
                        prior.line_id(), prior.score_tenths() / 10, prior.score_tenths() % 10);
  if (prior.has_monitoring())
    text +=
        fmt::format("; monitoring {} as of {} (line {})",
                    enum_label(v1::WarningLevel_Name(prior.monitoring().level()), "WARNING_LEVEL_"),
                    prior.monitoring().as_of(), prior.monitoring().line_id());
  text += fmt::format("; history points {}", prior.history_points());
  return text;
}

std::string adjustment_text(const v1::BudgetLine& line) {
  if (!line.has_pending_adjustment() ||
      line.pending_adjustment().kind() == v1::ADJUSTMENT_KIND_UNSPECIFIED)
    return "";
  const auto& adjustment = line.pending_adjustment();
  std::string text = enum_label(v1::AdjustmentKind_Name(adjustment.kind()), "ADJUSTMENT_KIND_");
  if (adjustment.kind() == v1::ADJUSTMENT_KIND_REVISE_TARGET)
    text += fmt::format(" {} to {}", adjustment.indicator(), adjustment.new_target());
  else
    text += " " + format_yuan(adjustment.amount()) + " yuan";
  if (!adjustment.proposed_by().empty()) text += ", proposed by " + adjustment.proposed_by();
  if (!adjustment.reason().empty()) text += ": " + adjustment.reason();
  return text;
}

std::string or_dash(const std::string& text) { return text.empty() ? "-" : text; }

}  // namespace

std::string format_time(const google::protobuf::Timestamp& at) {
  if (!is_set(at)) return "";
  const std::time_t seconds = static_cast<std::time_t>(at.seconds());
  std::tm local{};
  localtime_r(&seconds, &local);
  return fmt::format("{:%Y-%m-%d %H:%M}", local);
}

std::string percent_text(std::int64_t basis_points) {
  const std::int64_t magnitude = basis_points < 0 ? -basis_points : basis_points;
  return fmt::format("{}{}.{:02}%", basis_points < 0 ? "-" : "", magnitude / 100, magnitude % 100);
}

std::int64_t whole_days(const google::protobuf::Timestamp& since, Timestamp now) {
  if (!is_set(since)) return 0;
  const std::int64_t elapsed_ms = to_millis(now) - since.seconds() * 1000 - since.nanos() / 1000000;
  return elapsed_ms > 0 ? elapsed_ms / (24 * 3600 * 1000) : 0;
}

std::optional<v1::Category> category_from_name(std::string_view name) {
  if (name == "basic") return v1::CATEGORY_BASIC;
  if (name == "project") return v1::CATEGORY_PROJECT;
  if (name == "department_overall") return v1::CATEGORY_DEPARTMENT_OVERALL;
  return std::nullopt;
}

std::string category_name(v1::Category category) {
  return enum_label(v1::Category_Name(category), "CATEGORY_");
}

RecordedEvent to_engine_event(const v1::RecordedEvent& event) {
  RecordedEvent out;
  out.sequence = event.sequence();
  out.line_id = event.line_id();
  out.line_sequence = event.line_sequence();
  out.type = event.type();
  out.from_state = event.from_state();
  out.to_state = event.to_state();
  out.payload = event.payload();
  out.payload_encoding = event.payload_encoding() == v1::PAYLOAD_ENCODING_JSON
                             ? PayloadEncoding::kJson
                             : PayloadEncoding::kProtobuf;
  out.actor = event.actor();
  out.at = from_millis(event.at().seconds() * 1000 + event.at().nanos() / 1000000);
  out.request_id = event.request_id();
  out.prev_hash = event.prev_hash();
  out.hash = event.hash();
  return out;
}

std::string lines_table(const Lines& lines, Timestamp now) {
  TextTable table({{"line"},
                   {"department"},
                   {"title"},
                   {"state"},
                   {"waiting on"},
                   {"amount (yuan)", Align::kRight},
                   {"flags"},
                   {"waiting since"},
                   {"days", Align::kRight}});
  for (const auto& line : lines) {
    // The latest word on the money: approved (adjustments included), else granted so far,
    // else what is asked for.
    const Fen amount = line.approved_amount() != 0  ? line.approved_amount()
                       : line.granted_amount() != 0 ? line.granted_amount()
                                                    : line.content().requested_amount();
    const bool waiting = !line.waiting_on().empty();
    std::string flags;
    for (const auto& label : flag_labels(line)) flags += (flags.empty() ? "" : ", ") + label;
    table.add_row({line.id(), line.content().department(), line.content().title(), line.state(),
                   or_dash(line.waiting_on()), format_yuan(amount), or_dash(flags),
                   format_time(line.state_entered_at()),
                   waiting ? std::to_string(whole_days(line.state_entered_at(), now)) : ""});
  }
  return table.render();
}

std::string line_details(const v1::BudgetLine& line) {
  const auto& content = line.content();
  const std::vector<std::pair<std::string, Fen>> amounts = {
      {"requested", content.requested_amount()},
      {"funded", line.funded_amount()},
      {"granted", line.granted_amount()},
      {"approved", line.approved_amount()},
      {"spent", line.spent_amount()},
  };
  std::size_t amount_width = 0;
  for (const auto& [name, fen] : amounts)
    amount_width = std::max(amount_width, format_yuan(fen).size());

  std::vector<std::pair<std::string, std::string>> fields = {
      {"line", line.id()},
      {"fiscal year", std::to_string(content.fiscal_year())},
      {"department", content.department()},
      {"programme", content.programme_code() + " (" + category_name(content.category()) + ")"},
      {"title", content.title()},
      {"state", line.state() + (is_set(line.state_entered_at())
                                    ? ", since " + format_time(line.state_entered_at())
                                    : "")},
      {"waiting on", or_dash(line.waiting_on())},
      {"version", fmt::format("{} (policy {})", line.version(), or_dash(line.policy_version()))},
      {"created by", or_dash(line.created_by())},
      {"submitted by", or_dash(line.submitted_by())},
  };
  if (line.has_due_at())
    fields.emplace_back(
        "due", format_time(line.due_at()) + (line.sla_breached() ? " (overdue, escalated)" : ""));
  if (!line.review_claimed_by().empty())
    fields.emplace_back("reviewed by", line.review_claimed_by());
  for (const auto& [name, fen] : amounts)
    fields.emplace_back(name, fmt::format("{:>{}} yuan", format_yuan(fen), amount_width));
  fields.emplace_back("warning", warning_text(line));
  if (line.has_correction()) fields.emplace_back("correction", correction_text(line));
  if (const auto adjustment = adjustment_text(line); !adjustment.empty())
    fields.emplace_back("adjustment", adjustment);
  fields.emplace_back("grade", grade_text(line));
  if (const auto evaluation = evaluation_text(line); !evaluation.empty())
    fields.emplace_back("evaluation", evaluation);
  if (line.has_unspent())
    fields.emplace_back(
        "unspent", line.unspent().amount() == 0 ? std::string("nothing: all was spent")
                   : line.unspent().disposal() == v1::UNSPENT_DISPOSAL_CARRIED_OVER
                       ? fmt::format("{} yuan carried over to line {}",
                                     format_yuan(line.unspent().amount()), line.unspent().to_line())
                       : fmt::format("{} yuan recovered to the county's pool",
                                     format_yuan(line.unspent().amount())));
  for (const auto& carried : line.carried_in())
    fields.emplace_back("carried in",
                        fmt::format("{} yuan from line {} of {}", format_yuan(carried.amount()),
                                    carried.from_line(), carried.fiscal_year()));
  fields.emplace_back("flags", flags_text(line));
  fields.emplace_back("record", record_text(line));
  if (const auto assessment = assessment_text(line); !assessment.empty())
    fields.emplace_back("assessment", assessment);
  if (line.has_restated_targets()) fields.emplace_back("targets", restated_targets_text(line));
  if (!line.rectification().evaluated_line().empty()) {
    const auto& report = line.rectification();
    const std::string at = format_time(report.submitted_at());
    std::string text = fmt::format(
        "{} by {}{}: {}",
        enum_label(v1::RectificationStatus_Name(report.status()), "RECTIFICATION_STATUS_"),
        report.submitted_by(), at.empty() ? "" : " on " + at, report.report());
    if (!report.reviewed_by().empty())
      text += fmt::format(" (reviewed by {}{})", report.reviewed_by(),
                          report.comment().empty() ? "" : ": " + report.comment());
    fields.emplace_back("rectification", std::move(text));
  }

  std::size_t name_width = 0;
  for (const auto& field : fields) name_width = std::max(name_width, field.first.size());
  std::string out;
  for (const auto& [name, value] : fields)
    out += fmt::format("{:<{}}  {}\n", name, name_width, value);
  return out;
}

std::string history_table(const Events& events) {
  TextTable table({{"#", Align::kRight}, {"when"}, {"actor"}, {"event"}, {"state"}, {"what"}});
  for (const auto& event : events)
    table.add_row({std::to_string(event.line_sequence()), format_time(event.at()), event.actor(),
                   event.type(), transition(event), summarize_event(to_engine_event(event))});
  return table.render();
}

std::string watch_line(const v1::RecordedEvent& event) {
  std::string out = fmt::format("{}  {}  {}  {}  {}  {}", event.sequence(), format_time(event.at()),
                                event.line_id(), event.actor(), event.type(), transition(event));
  if (const auto summary = summarize_event(to_engine_event(event)); !summary.empty())
    out += "  " + summary;
  return out;
}

std::string escalation_line(const v1::RecordedEvent& event) {
  // The payload says which state visit was escalated; a payload this zbbctl cannot read still
  // gives the line and the state from the event itself.
  const Escalation escalation = escalation_of(to_engine_event(event));
  std::string out =
      fmt::format("{}  {}  {}  {}", event.sequence(), format_time(event.at()), event.line_id(),
                  escalation.state.empty() ? event.to_state() : escalation.state);
  if (!escalation.waiting_on.empty()) out += "  waiting on " + escalation.waiting_on;
  if (escalation.overdue_ms)
    out += "  overdue " + format_span(std::chrono::milliseconds(*escalation.overdue_ms));
  return out;
}

std::string command_result_line(const v1::CommandResponse& response) {
  const auto& line = response.line();
  std::string out = fmt::format("{}: {}", line.id(), response.state());
  if (!line.waiting_on().empty()) out += ", waiting on " + line.waiting_on();
  out += fmt::format(", version {} (event #{})", response.version(), response.sequence());
  if (response.replayed()) out += "; already done by an earlier request with this id";
  return out;
}

}  // namespace zbb::cli
