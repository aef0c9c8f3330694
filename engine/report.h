#pragma once

#include <string>

#include "engine/clock.h"

namespace zbb {

// A document a multi-line command produces and keeps beside its events: a ranking's result, a
// monitoring round's figures. Written in the same transaction as the command, so a report
// exists exactly when the changes it describes do.
struct Report {
  std::string id;    // set by the engine: the request key of the command that produced it
  std::string kind;  // "ranking", "monitoring", …
  int fiscal_year = 0;
  std::string department;  // empty when it spans departments
  Timestamp at;            // set by the engine: when the command ran
  std::string body;        // JSON

  bool operator==(const Report&) const = default;
};

// A report without its body, as a listing names it.
struct ReportSummary {
  std::string id;
  std::string kind;
  int fiscal_year = 0;
  std::string department;
  Timestamp at;

  bool operator==(const ReportSummary&) const = default;
};

}  // namespace zbb
