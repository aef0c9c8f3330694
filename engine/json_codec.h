#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/budget_line.h"
#include "engine/commands.h"
#include "engine/status.h"

namespace zbb {

// JSON forms of the domain types: the line projection document, stored outcomes of requests
// and event payloads. Field names follow the domain (fiscal_year, requested_amount, …); enums
// are written by name; timestamps as milliseconds since the epoch.

nlohmann::json to_json_value(const LineContent& content);
nlohmann::json to_json_value(const BudgetLine& line);
nlohmann::json to_json_value(const CommandOutcome& outcome);
nlohmann::json to_json_value(const MonitoringResult& result);
// The data of an action as recorded in its event's payload.
nlohmann::json to_json_value(const Action& action);

std::string to_json_text(const BudgetLine& line);
std::string to_json_text(const LineContent& content);
// The same document as to_json_text(line), its members in another order, with the content's
// text given: to_json_text(line.content) made earlier. Content is most of a document and few
// commands change it, so a writer may keep its text instead of making it again.
std::string to_json_text(const BudgetLine& line, std::string_view content_text);
std::string to_json_text(const CommandOutcome& outcome);

// INVALID_ARGUMENT naming the field for a missing or mistyped field or an unknown enum name.
Result<LineContent> line_content_from_json(const nlohmann::json& json);
Result<BudgetLine> budget_line_from_json_text(const std::string& text);
Result<CommandOutcome> command_outcome_from_json_text(const std::string& text);

}  // namespace zbb
