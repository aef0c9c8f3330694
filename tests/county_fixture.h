#pragma once

// A realistic county for the tests: its departments, their requests, the people who act on
// them, and an engine over a real SQLite store with the shipped default policy and a clock that
// moves only when told to.

#include <memory>
#include <string>
#include <vector>

#include "adapters/sql/sql_store.h"
#include "engine/engine.h"
#include "tests/message_builders.h"
#include "tests/test_database.h"
#include "workflows/zero_based_review.h"
#include "zbb/v1/events.pb.h"

namespace zbb::testing {

// The people of the county, named for their job in the workflow.
namespace actor {
inline const std::string kTransportUnit = "unit.transport.li";
inline const std::string kEducationUnit = "unit.education.liu";
inline const std::string kReviewer = "reviewer.wang";
inline const std::string kSecondReviewer = "reviewer.ma";
inline const std::string kRankingOffice = "budget.ranking.he";
inline const std::string kDepartmentHead = "approver.department_head.zhao";
inline const std::string kBudgetSection = "approver.budget_section.qian";
inline const std::string kPerformanceSection = "approver.performance_section.sun";
inline const std::string kBureauHead = "approver.bureau_head.zhou";
inline const std::string kTreasury = "integrator.treasury";
inline const std::string kEvaluationOffice = "performance.chen";
// A third party (第三方机构) that carries out focused evaluations.
inline const std::string kThirdParty = "evaluator.cpa.xu";
}  // namespace actor

// The roles the county gives each of its people, as its token file would: units their
// department ("unit.<n>" of unit_of() too), reviewers and the ranking and evaluation offices
// "reviewer", approvers their level, the treasury "integrator", third parties ("evaluator.…")
// "evaluator", "zbbd" zbb itself. Anyone else has no role.
Principal principal_of(const std::string& actor);

// Someone holding every role of the county (every unit, reviewer, integrator, evaluator, every
// approval and adjustment level): what is then refused is refused by the state or by segregation of
// duties.
Principal with_every_role(const std::string& name);

// The shipped policy's approval chain, level by level, with the approver who decides at each.
struct ApprovalLevel {
  const std::string& approver;
  std::string level;
};
const std::vector<ApprovalLevel>& approval_chain();

inline const std::string kTransport = "县交通运输局";
inline const std::string kEducation = "县教育局";
inline const std::string kHealth = "县卫生健康局";
inline const std::string kAgriculture = "县农业农村局";

// Rural road maintenance of the transport bureau: 1,250,000.00 yuan in three cost items, with a
// quantity output indicator, a timeliness output, a social effect and a satisfaction indicator.
LineContent road_maintenance_request(int fiscal_year = 2027);
// A school meal subsidy of the education bureau: 860,000.00 yuan.
LineContent school_meals_request(int fiscal_year = 2027);

// The twelve departments of the county.
const std::vector<std::string>& county_departments();

// A request of `department` in decision packages (minimum, current, enhancement — the latter
// two present when non-zero), with cost items and indicators that satisfy every rule.
LineContent packaged_request(const std::string& department, const std::string& programme_code,
                             Fen minimum, Fen current, Fen enhancement, int fiscal_year = 2027);

// The unit actor of a department ("unit.<index>").
std::string unit_of(const std::string& department);

// The shipped default policy file, workflows/zero_based_review.textproto.
std::string default_policy_path();
review::PolicySet default_policies();

// The shipped policy with library.require_library as asked.
review::PolicySet policies_with_library(bool required);

// An engine over a new database (fresh_database(): SQLite's ":memory:", or a PostgreSQL schema
// when the tests run on PostgreSQL) unless one is named, at 2027-01-04 08:00.
// It runs the shipped policy, but for the project library, which it requires only when asked:
// the other tests create lines of any programme code (the library's tests, the e2e tests over
// zbbd and the demo run it as shipped).
class County {
 public:
  enum class Library { kNotRequired, kRequired };
  explicit County(const std::string& database = fresh_database(),
                  Library library = Library::kNotRequired);

  // One event on one programme of the project library, with a fresh request id.
  Result<CommandOutcome> programme(const std::string& actor, const std::string& code,
                                   ProgrammeEvent event,
                                   std::optional<std::int64_t> expected_version = std::nullopt);
  // Proposes (as the department's unit) and admits (as the reviewer) the programme `content`
  // names, of its department and category, unless the library has it already; REQUIREs success.
  void admit_programme_of(const LineContent& content);

  // Runs one action on one line with a fresh request id; returns the outcome or the error.
  Result<CommandOutcome> act(const std::string& actor, const std::string& line_id, Action action,
                             std::optional<std::int64_t> expected_version = std::nullopt);
  // The same, sent by `principal` with the roles it holds (act() gives an actor principal_of's).
  Result<CommandOutcome> act_as(const Principal& principal, const std::string& line_id,
                                Action action,
                                std::optional<std::int64_t> expected_version = std::nullopt);
  // Records what zbb records itself (an escalation) on one line, as zbb, with a fresh request id.
  Result<CommandOutcome> record(const std::string& line_id, FollowUp follow_up,
                                std::optional<std::int64_t> expected_version = std::nullopt);
  // Creates a line with the given id; REQUIREs success.
  void create(const std::string& line_id, const LineContent& content,
              const std::string& by = actor::kTransportUnit);
  // Moves a line along the happy path until it reaches `state` (a state id of the machine);
  // REQUIREs every step to succeed. Terminal states other than closed are reached by their
  // own event (withdraw, reject, fund 0).
  void drive_to(const std::string& line_id, std::string_view state);

  // Brings an executing line through a green Q2 checkpoint: spending and outputs on time
  // progress, the clock on 1 July of its fiscal year.
  void hold_green_checkpoint(const std::string& line_id);

  // The scores a reviewer types, each `score`: every criterion of the policy but its history
  // criterion, which zbb fills (result use).
  ScorePriority typed_scores(std::int64_t score);
  // Takes a created line to ranking and scores it with typed_scores(score).
  void score_for_ranking(const std::string& line_id, std::int64_t score);

  BudgetLine line(const std::string& line_id);
  std::string state(const std::string& line_id) { return line(line_id).state(); }
  std::vector<RecordedEvent> history(const std::string& line_id);

  // Unique across every County of the test process, so a reopened database sees new ids.
  static std::string next_request_id();

  ManualClock clock;
  std::unique_ptr<sql::SqlStore> store;
  review::ZeroBasedReview workflow;
  Engine engine;
};

Timestamp at(int year, unsigned month, unsigned day, int hour = 8);

// The payload of an event zbb recorded: an EventPayload (an empty one, failing the test, when it
// is not one).
zbb::v1::EventPayload payload_of(const RecordedEvent& event);

}  // namespace zbb::testing
