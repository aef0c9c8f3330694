#pragma once

#include <string>

#include "engine/status.h"

namespace zbb::review {

// A report body as schema version 7 kept it (JSON) → as the report's kind keeps it now
// (report_documents.h): what an upgraded database's reports become. INVALID_ARGUMENT naming
// what does not read; a kind that is not the review's is refused.
Result<std::string> report_body_from_v7_json(const std::string& kind, const std::string& json_text);

}  // namespace zbb::review
