#include "adapters/cli/event_summary.h"

#include <fmt/format.h>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "adapters/cli/duration_text.h"
#include "engine/money.h"
#include "zbb/v1/events.pb.h"

namespace zbb::cli {
namespace {

std::string text_of(const nlohmann::json& payload, const char* key) {
  const auto it = payload.find(key);
  return it != payload.end() && it->is_string() ? it->get<std::string>() : "";
}

void add(std::string& out, const std::string& part) {
  if (part.empty()) return;
  if (!out.empty()) out += "; ";
  out += part;
}

// Events recorded before schema version 8 keep their payload in JSON: one flat object of the
// event's data and what was decided.
std::string summarize(const nlohmann::json& payload) {
  std::string out;
  if (payload.contains("content")) add(out, text_of(payload["content"], "title"));
  add(out, text_of(payload, "level"));
  add(out, text_of(payload, "decision"));
  add(out, text_of(payload, "kind"));
  if (payload.contains("accept"))
    add(out, payload["accept"].get<bool>() ? "targets accepted" : "returned");
  if (payload.contains("amount") && payload["amount"].is_number_integer() &&
      payload["amount"].get<Fen>() != 0)
    add(out, format_yuan(payload["amount"].get<Fen>()) + " yuan");
  add(out, text_of(payload, "payment_ref"));
  if (payload.contains("indicator") && payload.contains("actual"))
    add(out, fmt::format("{} = {}", text_of(payload, "indicator"), payload["actual"].dump()));
  if (payload.contains("result")) {
    const auto& result = payload["result"];
    std::string verdict = text_of(result, "level");
    for (const auto& reason : result.value("reasons", nlohmann::json::array()))
      verdict += ": " + reason.get<std::string>();
    add(out, verdict);
  }
  if (payload.contains("score_hundredths")) {
    const auto hundredths = payload["score_hundredths"].get<std::int64_t>();
    add(out, fmt::format("priority {}.{:02d}", hundredths / 100, hundredths % 100));
  }
  if (payload.contains("placement"))
    add(out, fmt::format("rank {} of ranking {}", payload["placement"].value("rank", 0),
                         text_of(payload["placement"], "ranking_id")));
  if (payload.contains("score_tenths")) {
    const auto tenths = payload["score_tenths"].get<std::int64_t>();
    add(out, fmt::format("score {}.{} {}", tenths / 10, tenths % 10, text_of(payload, "grade")));
  }
  // An escalation: whom the line waits on and how late it was.
  if (payload.contains("overdue_ms") && payload["overdue_ms"].is_number_integer()) {
    add(out, "waiting on " + text_of(payload, "waiting_on"));
    add(out, "overdue " +
                 format_span(std::chrono::milliseconds(payload["overdue_ms"].get<std::int64_t>())));
  }
  add(out, text_of(payload, "outcome"));
  add(out, text_of(payload, "comment"));
  add(out, text_of(payload, "reason"));
  return out;
}

// Newer events: an EventPayload, read by field name so that every event with a `comment` or an
// `amount` is summarized alike, as the JSON ones are.
namespace pb = google::protobuf;

const pb::FieldDescriptor* field_of(const pb::Message& message, const char* name) {
  return message.GetDescriptor()->FindFieldByName(name);
}

std::string text_of(const pb::Message& message, const char* name) {
  const auto* field = field_of(message, name);
  if (field == nullptr || field->is_repeated() || field->type() != pb::FieldDescriptor::TYPE_STRING)
    return "";
  return message.GetReflection()->GetString(message, field);
}

std::optional<std::int64_t> number_of(const pb::Message& message, const char* name) {
  const auto* field = field_of(message, name);
  if (field == nullptr || field->is_repeated()) return std::nullopt;
  const auto* reflection = message.GetReflection();
  if (field->has_presence() && !reflection->HasField(message, field)) return std::nullopt;
  switch (field->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_INT64:
      return reflection->GetInt64(message, field);
    case pb::FieldDescriptor::CPPTYPE_INT32:
      return reflection->GetInt32(message, field);
    default:
      return std::nullopt;
  }
}

// An enum as zbb names it elsewhere: DECISION_APPROVE → "approve"; unspecified → "".
std::string enum_of(const pb::Message& message, const char* name) {
  const auto* field = field_of(message, name);
  if (field == nullptr || field->is_repeated() || field->type() != pb::FieldDescriptor::TYPE_ENUM)
    return "";
  const auto* value = message.GetReflection()->GetEnum(message, field);
  if (value == nullptr || value->number() == 0) return "";
  std::string prefix;
  for (char c : field->enum_type()->name()) {
    if (std::isupper(static_cast<unsigned char>(c)) && !prefix.empty()) prefix += '_';
    prefix += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  std::string label = value->name().substr(std::min(value->name().size(), prefix.size() + 1));
  for (char& c : label) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return label;
}

// The message of the event the payload holds (the oneof field set in its LineEvent or FollowUp);
// null when none is.
const pb::Message* event_of(const zbb::v1::EventPayload& payload) {
  const pb::Message& source = payload.has_event()
                                  ? static_cast<const pb::Message&>(payload.event())
                                  : static_cast<const pb::Message&>(payload.follow_up());
  const auto* field = source.GetReflection()->GetOneofFieldDescriptor(
      source, source.GetDescriptor()->FindOneofByName("event"));
  return field == nullptr ? nullptr : &source.GetReflection()->GetMessage(source, field);
}

std::string summarize(const zbb::v1::EventPayload& payload) {
  const pb::Message* found = event_of(payload);
  if (found == nullptr) return "";
  const pb::Message& event = *found;
  const zbb::v1::EventDecided& decided = payload.decided();
  std::string out;
  if (const auto* content = field_of(event, "content"))
    add(out, text_of(event.GetReflection()->GetMessage(event, content), "title"));
  add(out, text_of(event, "level"));
  add(out, enum_of(event, "decision"));
  add(out, enum_of(event, "kind"));
  if (payload.event().has_review_targets())
    add(out, payload.event().review_targets().accept() ? "targets accepted" : "returned");
  if (payload.event().has_review_rectification())
    add(out,
        payload.event().review_rectification().accept() ? "report accepted" : "report returned");
  add(out, text_of(event, "report"));
  if (payload.event().has_restate_targets()) {
    std::string targets;
    const auto list = [&](const auto& indicators) {
      for (const auto& indicator : indicators)
        if (!indicator.qualitative())
          targets += fmt::format("{}{} {} {}", targets.empty() ? "targets restated: " : ", ",
                                 indicator.name(), indicator.target(), indicator.unit());
    };
    const auto& restate = payload.event().restate_targets();
    list(restate.indicators());
    for (const auto& package : restate.packages()) list(package.indicators());
    add(out, targets);
  }
  if (payload.event().has_review_restated_targets())
    add(out, payload.event().review_restated_targets().accept() ? "restated targets issued"
                                                                : "restated targets returned");
  if (payload.event().has_answer_correction())
    add(out, fmt::format("correction answered, by {}: {}",
                         payload.event().answer_correction().deadline(),
                         payload.event().answer_correction().measures()));
  if (payload.event().has_review_correction())
    add(out, payload.event().review_correction().accept() ? "correction accepted"
                                                          : "correction returned");
  if (payload.event().has_record_assessment())
    add(out, payload.event().record_assessment().approve() ? "assessment approves"
                                                           : "assessment against");
  if (!decided.assessment_due().empty())
    add(out, "prior assessment required: " + decided.assessment_due());
  if (const auto amount = number_of(event, "amount"); amount && *amount != 0)
    add(out, format_yuan(*amount) + " yuan");
  add(out, text_of(event, "payment_ref"));
  if (payload.event().has_record_indicator_progress())
    add(out, fmt::format("{} = {}", payload.event().record_indicator_progress().indicator(),
                         payload.event().record_indicator_progress().actual()));
  if (decided.has_result()) {
    std::string verdict = enum_of(decided.result(), "level");
    for (const auto& reason : decided.result().reasons()) verdict += ": " + reason;
    add(out, verdict);
    // The correction a yellow or red verdict opened (or raised).
    if (const std::string correction = enum_of(decided, "correction"); !correction.empty())
      add(out, "correction " + correction);
  }
  if (decided.has_score_hundredths()) {
    const auto hundredths = decided.score_hundredths();
    add(out, fmt::format("priority {}.{:02d}", hundredths / 100, hundredths % 100));
  }
  if (decided.has_placement())
    add(out, fmt::format("rank {} of ranking {}", decided.placement().rank(),
                         decided.placement().ranking_id()));
  if (payload.event().has_review_evaluation()) {
    const auto& review = payload.event().review_evaluation();
    for (const auto& part : review.parts())
      add(out, fmt::format("{} set to {}.{}: {}", part.part(), part.tenths() / 10,
                           part.tenths() % 10, part.reason()));
    for (const auto& regrade : review.regrades())
      add(out, fmt::format("{} graded {} {} %: {}", regrade.grade().indicator(),
                           regrade.grade().band(), regrade.grade().percent(), regrade.reason()));
  }
  if (decided.has_score_tenths()) {
    const auto tenths = decided.score_tenths();
    add(out, fmt::format("score {}.{} {}", tenths / 10, tenths % 10, decided.grade()));
  }
  if (decided.has_focused()) {
    std::string reasons;
    for (const auto& reason : decided.focused().reasons())
      reasons += (reasons.empty() ? "" : "; ") + reason;
    add(out, "selected for focused evaluation: " + reasons);
  }
  // Result use: the grade the policy acts on, as read at a step that takes it (a fund only checks
  // it against the line's).
  if (decided.has_prior() && decided.prior().flagged() && !payload.event().has_fund()) {
    const auto& prior = decided.prior();
    std::string used =
        fmt::format("{} in {} (line {})", prior.grade(), prior.fiscal_year(), prior.line_id());
    if (prior.cut_percent() > 0) used += fmt::format(": cut {} %", prior.cut_percent());
    if (prior.rectification_required()) used += ", rectification report required";
    add(out, used);
  }
  for (const auto& copied : decided.copied()) {
    std::string part = copied.part();  // "necessity_statement" → "necessity statement"
    std::replace(part.begin(), part.end(), '_', ' ');
    std::string like =
        fmt::format("{} {}.{} % like line {}", part, copied.similarity_permille() / 10,
                    copied.similarity_permille() % 10, copied.line_id());
    if (!copied.programme_code().empty()) like += " of programme " + copied.programme_code();
    add(out, like);
  }
  if (decided.has_overdue_ms()) {
    add(out, "waiting on " + decided.waiting_on());
    add(out, "overdue " + format_span(std::chrono::milliseconds(decided.overdue_ms())));
  }
  if (payload.follow_up().has_receive_carry_over())
    add(out, fmt::format("carried over from line {} of {}",
                         payload.follow_up().receive_carry_over().from_line(),
                         payload.follow_up().receive_carry_over().fiscal_year()));
  if (decided.has_unspent() && decided.unspent().amount() > 0) {
    const auto& unspent = decided.unspent();
    add(out, unspent.disposal() == zbb::v1::UNSPENT_DISPOSAL_CARRIED_OVER
                 ? fmt::format("{} yuan unspent carried over to line {}",
                               format_yuan(unspent.amount()), unspent.to_line())
                 : fmt::format("{} yuan unspent recovered to the county's pool",
                               format_yuan(unspent.amount())));
  }
  add(out, enum_of(decided, "outcome"));
  add(out, text_of(event, "comment"));
  add(out, text_of(event, "reason"));
  return out;
}

std::optional<zbb::v1::EventPayload> payload_of(const RecordedEvent& event) {
  zbb::v1::EventPayload payload;
  if (event.payload_encoding != PayloadEncoding::kProtobuf ||
      !payload.ParseFromString(event.payload))
    return std::nullopt;
  return payload;
}

std::optional<nlohmann::json> json_payload_of(const RecordedEvent& event) {
  if (event.payload_encoding != PayloadEncoding::kJson) return std::nullopt;
  auto payload = nlohmann::json::parse(event.payload, nullptr, false);
  if (!payload.is_object()) return std::nullopt;
  return payload;
}

}  // namespace

std::string summarize_event(const RecordedEvent& event) {
  if (const auto payload = payload_of(event)) return summarize(*payload);
  const auto payload = json_payload_of(event);
  if (!payload) return "";
  // A payload from another version of zbbd may hold what this one does not expect: then say
  // nothing rather than fail.
  try {
    return summarize(*payload);
  } catch (const nlohmann::json::exception&) {
    return "";
  }
}

Escalation escalation_of(const RecordedEvent& event) {
  Escalation out;
  if (const auto payload = payload_of(event)) {
    out.state = payload->follow_up().sla_breached().state();
    out.waiting_on = payload->decided().waiting_on();
    if (payload->decided().has_overdue_ms()) out.overdue_ms = payload->decided().overdue_ms();
  } else if (const auto json = json_payload_of(event)) {
    out.state = text_of(*json, "state");
    out.waiting_on = text_of(*json, "waiting_on");
    if (json->contains("overdue_ms") && (*json)["overdue_ms"].is_number_integer())
      out.overdue_ms = (*json)["overdue_ms"].get<std::int64_t>();
  }
  return out;
}

}  // namespace zbb::cli
