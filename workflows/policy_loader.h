#pragma once

// Loading and checking the workflow policy files (workflows/*.textproto).
//
// Every number the zero-based review uses (approval levels, SLAs, warning thresholds, ranking
// weights, evaluation points, grade bands) comes from a policy, so a policy that slipped through
// with a typo would silently change how budgets are judged. Policies are therefore validated
// completely when zbbd starts, and a bad file stops it with a message that names the file, the
// field and what is wrong with it.

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "engine/status.h"
#include "workflows/policy.pb.h"

namespace zbb::review {

// Checks the field-level rules of one policy (see DESIGN §2). Returns OK, or
// Status::InvalidArgument(field, reason) for the first problem found, with `field` the full path,
// e.g. "monitoring.red_lag_points", "approval_chain[2].role", "sla_days[\"draft\"]".
Status validate_policy(const zbb::policy::WorkflowPolicy& policy);

// Parses policy text (protobuf text format) and validates it. `source` names the text in error
// messages (normally the file path). Errors are INVALID_ARGUMENT with a message that stands on its
// own: "<source>:<line>:<column>: <parser message>" for syntax errors,
// "<source>: <field>: <reason>" for rule violations.
Result<zbb::policy::WorkflowPolicy> parse_policy_text(const std::string& text,
                                                      const std::string& source);

// Reads `path` and does what parse_policy_text does. A missing or unreadable file is an
// INVALID_ARGUMENT naming the path and the cause.
Result<zbb::policy::WorkflowPolicy> load_policy_file(const std::string& path);

// The policies zbbd knows, keyed by version. Lines keep the version they were created under, so
// older policies stay loaded for lines still running under them, while new lines get current().
// Only built through load_policy_files / from_policies, so it always holds a current policy.
class PolicySet {
 public:
  // Validates each policy; `sources` (same length as `policies`, or empty) name them in errors.
  static Result<PolicySet> from_policies(std::vector<zbb::policy::WorkflowPolicy> policies,
                                         const std::string& current_version,
                                         std::vector<std::string> sources = {});

  // The policy new lines are created under.
  const zbb::policy::WorkflowPolicy& current() const;
  const std::string& current_version() const { return current_version_; }
  // The policy of `version`, or nullptr when none is loaded.
  const zbb::policy::WorkflowPolicy* find(const std::string& version) const;
  // All loaded versions, in ascending order.
  std::vector<std::string> versions() const;
  std::size_t size() const { return policies_.size(); }

 private:
  PolicySet() = default;

  std::map<std::string, zbb::policy::WorkflowPolicy> policies_;
  std::string current_version_;
};

// Loads every file in `paths` into one set. Refuses: no files, any invalid file, two files with
// the same version (naming both), a `current_version` that is not loaded, and an empty
// `current_version` when more than one policy is loaded (which one is current must be said).
Result<PolicySet> load_policy_files(const std::vector<std::string>& paths,
                                    const std::string& current_version);

}  // namespace zbb::review
