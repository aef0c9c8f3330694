#include "adapters/cli/event_summary.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "adapters/cli/duration_text.h"
#include "engine/money.h"

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

}  // namespace

std::string summarize_event(const RecordedEvent& event) {
  const auto payload = nlohmann::json::parse(event.payload, nullptr, false);
  if (!payload.is_object()) return "";
  // A payload from another version of zbbd may hold what this one does not expect: then say
  // nothing rather than fail.
  try {
    return summarize(payload);
  } catch (const nlohmann::json::exception&) {
    return "";
  }
}

}  // namespace zbb::cli
