#pragma once

// zbbctl's subcommands, each a function of the client, its options and where to print.
// They return nullopt when done, else the failure for main to report.

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "adapters/cli/zbbctl_client.h"
#include "adapters/cli/zbbctl_failure.h"
#include "zbb/v1/budget_line.pb.h"

#include <google/protobuf/timestamp.pb.h>

namespace zbb::cli {

using Outcome = std::optional<Failure>;

struct Output {
  std::ostream& out;
  bool json = false;  // protobuf JSON, one document per command (per event for watch)
};

// "zbbctl-" and 16 random hex digits: a request id for one invocation.
std::string fresh_request_id();

// The lines waiting on one of the caller's roles, every page.
Outcome run_queue(Client& client, const Output& output);

struct ListOptions {
  int fiscal_year = 0;
  std::string department;
  std::string state;
  std::string category;  // "basic", "project", "department_overall" or empty
  std::string waiting_on;
  int page_size = 0;
  std::string page_token;
  bool all = false;  // follow next_page_token to the end
};
Outcome run_list(Client& client, const ListOptions& options, const Output& output);

// The line's fields, then its history.
// `as_of` empty: the line as it is; else "YYYY-MM-DD" (midnight UTC) or "YYYY-MM-DDTHH:MM:SSZ":
// the line as it stood then, with its history up to then.
Outcome run_show(Client& client, const std::string& line_id, const std::string& as_of,
                 const Output& output);

// --as-of TEXT as a protobuf time; a usage failure naming the option otherwise.
std::optional<Failure> as_of_time(const std::string& text, google::protobuf::Timestamp* out);

struct CreateOptions {
  std::string file;  // a zbb.v1.LineContent in protobuf JSON
  std::string line_id;
  std::string request_id;  // empty: a fresh one
};
Outcome run_create(Client& client, const CreateOptions& options, const Output& output);

struct PushOptions {
  std::string line_id;
  std::string event_json;  // a zbb.v1.LineEvent in protobuf JSON
  std::optional<std::int64_t> expected_version;
  std::string request_id;
};
Outcome run_push(Client& client, const PushOptions& options, const Output& output);

// approve / reject / return, by the approval level the line waits on, at the version read.
struct DecisionOptions {
  std::string line_id;
  zbb::v1::Decision decision = zbb::v1::DECISION_UNSPECIFIED;
  std::optional<std::string> amount;  // yuan, as typed; approve only
  std::string comment;
  std::string request_id;  // given: a retry, recognised in the line's history
};
Outcome run_decision(Client& client, const DecisionOptions& options, const Output& output);

struct ReviewOptions {
  std::string line_id;
  // The targets a line approved below its request restated (review_restated_targets), not
  // those of its request (review_targets).
  bool restated = false;
  // The unit's answer to the line's correction (review_correction), not targets.
  bool correction = false;
  bool accept = false;
  std::string comment;
  std::string request_id;
};
Outcome run_review(Client& client, const ReviewOptions& options, const Output& output);

// The unit answers the line's correction (整改) with its measures and their deadline.
struct CorrectOptions {
  std::string line_id;
  std::string measures;
  std::string deadline;  // YYYY-MM-DD
  std::string request_id;
};
Outcome run_correct(Client& client, const CorrectOptions& options, const Output& output);

// A reviewer takes a submitted line for target review.
Outcome run_take(Client& client, const std::string& line_id, const std::string& request_id,
                 const Output& output);

struct WatchOptions {
  std::int64_t after = 0;  // global sequence to resume after
  std::int64_t count = 0;  // stop after this many events shown; 0: follow until interrupted
  bool stuck = false;      // show only escalations (sla_breached events), one line each
};
Outcome run_watch(Client& client, const WatchOptions& options, const Output& output);

}  // namespace zbb::cli
