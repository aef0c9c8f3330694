// The workflow policy files: what the shipped default says, and which mistakes in a policy
// stop zbbd from starting (each with the file, the field and the reason in the message).

#include "workflows/policy_loader.h"
#include "workflows/library_rules.h"

#include <unistd.h>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <type_traits>

#include <google/protobuf/text_format.h>
#include <catch2/catch.hpp>

#include "workflows/state_ids.h"

namespace {

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using zbb::Code;
using zbb::Status;
using zbb::policy::WorkflowPolicy;
using zbb::review::load_policy_file;
using zbb::review::load_policy_files;
using zbb::review::PolicySet;
using zbb::review::validate_policy;

const std::string kDefaultPolicyPath =
    std::string(ZBB_SOURCE_DIR) + "/workflows/zero_based_review.textproto";

// A fresh directory under the system temp dir, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    std::random_device random;
    path_ =
        fs::temp_directory_path() / ("zbb_policy_test_" + std::to_string(::getpid()) + "_" +
                                     std::to_string(counter++) + "_" + std::to_string(random()));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;  // cleanup must not throw from a destructor
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string write(const std::string& name, const std::string& text) const {
    const fs::path file = path_ / name;
    std::ofstream(file, std::ios::binary) << text;
    return file.string();
  }
  std::string path_of(const std::string& name) const { return (path_ / name).string(); }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

std::string text_of(const WorkflowPolicy& policy) {
  std::string text;
  REQUIRE(google::protobuf::TextFormat::PrintToString(policy, &text));
  return text;
}

WorkflowPolicy default_policy() {
  auto policy = load_policy_file(kDefaultPolicyPath);
  INFO(policy.status().to_string());
  REQUIRE(policy.ok());
  return *policy;
}

WorkflowPolicy default_policy_with(const std::function<void(WorkflowPolicy&)>& change) {
  WorkflowPolicy policy = default_policy();
  change(policy);
  return policy;
}

// Writes the default policy with `change` applied to a file and loads it; the load must fail
// naming the file, `field` and `reason`, and validate_policy must report the same field.
void require_refused(const std::function<void(WorkflowPolicy&)>& change, const std::string& field,
                     const std::string& reason) {
  const WorkflowPolicy policy = default_policy_with(change);
  TempDir dir;
  const std::string path = dir.write("policy.textproto", text_of(policy));

  const auto loaded = load_policy_file(path);
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.status().code() == Code::kInvalidArgument);
  CHECK_THAT(loaded.status().message(), StartsWith(path + ": " + field + ": "));
  CHECK_THAT(loaded.status().message(), Contains(reason));

  const Status direct = validate_policy(policy);
  CHECK(direct.code() == Code::kInvalidArgument);
  CHECK(direct.field() == field);
}

void require_accepted(const std::function<void(WorkflowPolicy&)>& change) {
  const Status status = validate_policy(default_policy_with(change));
  INFO(status.to_string());
  CHECK(status.ok());
}

}  // namespace

TEST_CASE("the shipped default policy loads with the default numbers of DESIGN section 2",
          "[policy]") {
  const WorkflowPolicy policy = default_policy();
  CHECK(policy.version() == "2027.1");

  SECTION("approval: department head, budget section, performance section, bureau head") {
    REQUIRE(policy.approval_chain_size() == 4);
    CHECK(policy.approval_chain(0).name() == "department_head");
    CHECK(policy.approval_chain(0).role() == "approver:department_head");
    CHECK(policy.approval_chain(1).name() == "budget_section");
    CHECK(policy.approval_chain(2).name() == "performance_section");
    CHECK(policy.approval_chain(3).name() == "bureau_head");
    for (const auto& level : policy.approval_chain()) CHECK_FALSE(level.role().empty());
  }
  SECTION("adjustments: budget section, then bureau head") {
    REQUIRE(policy.adjustment_chain_size() == 2);
    CHECK(policy.adjustment_chain(0).name() == "budget_section");
    CHECK(policy.adjustment_chain(1).name() == "bureau_head");
  }
  SECTION("every active state has an SLA, and no other state has one") {
    CHECK(policy.sla_days_size() == static_cast<int>(zbb::review::kActiveStates.size()));
    for (std::string_view state : zbb::review::kActiveStates) {
      INFO(state);
      CHECK(policy.sla_days().contains(std::string(state)));
    }
    CHECK(policy.sla_days().at("draft") == 30);
    CHECK(policy.sla_days().at("justification.submitted") == 3);
    CHECK(policy.sla_days().at("approval.awaiting_decision") == 5);
    CHECK(policy.sla_days().at("execution.executing") == 400);
    CHECK(policy.sla_days().at("execution.red_warning") == 15);
  }
  SECTION(
      "monitoring: 25/50/75 % at 03-31, 06-30 (dual) and 09-30, yellow/red at 10/20 lag and "
      "20/35 ahead") {
    const auto& monitoring = policy.monitoring();
    REQUIRE(monitoring.checkpoints_size() == 3);
    CHECK(monitoring.checkpoints(0).date() == "03-31");
    CHECK(monitoring.checkpoints(0).time_progress_percent() == 25);
    CHECK_FALSE(monitoring.checkpoints(0).dual());
    CHECK(monitoring.checkpoints(1).date() == "06-30");
    CHECK(monitoring.checkpoints(1).time_progress_percent() == 50);
    CHECK(monitoring.checkpoints(1).dual());
    CHECK(monitoring.checkpoints(2).date() == "09-30");
    CHECK(monitoring.checkpoints(2).time_progress_percent() == 75);
    CHECK_FALSE(monitoring.checkpoints(2).dual());
    CHECK(monitoring.yellow_lag_points() == 10);
    CHECK(monitoring.red_lag_points() == 20);
    CHECK(monitoring.yellow_ahead_points() == 20);
    CHECK(monitoring.red_ahead_points() == 35);
  }
  SECTION("ranking criteria and their weights") {
    REQUIRE(policy.ranking_criteria_size() == 5);
    const std::pair<const char*, unsigned> expected[] = {{"necessity", 30},
                                                         {"urgency", 25},
                                                         {"expected_effect", 25},
                                                         {"public_attention", 10},
                                                         {"performance_history", 10}};
    for (int i = 0; i < 5; ++i) {
      CHECK(policy.ranking_criteria(i).name() == expected[i].first);
      CHECK(policy.ranking_criteria(i).weight() == expected[i].second);
    }
  }
  SECTION("evaluation points 10 / 50 / 30 / 10") {
    CHECK(policy.evaluation().budget_execution_points() == 10);
    CHECK(policy.evaluation().output_points() == 50);
    CHECK(policy.evaluation().effect_points() == 30);
    CHECK(policy.evaluation().satisfaction_points() == 10);
  }
  SECTION("grades excellent >= 90, good >= 80, fair >= 60, poor below") {
    REQUIRE(policy.grade_bands_size() == 4);
    CHECK(policy.grade_bands(0).grade() == "excellent");
    CHECK(policy.grade_bands(0).min_score() == 90);
    CHECK(policy.grade_bands(1).grade() == "good");
    CHECK(policy.grade_bands(1).min_score() == 80);
    CHECK(policy.grade_bands(2).grade() == "fair");
    CHECK(policy.grade_bands(2).min_score() == 60);
    CHECK(policy.grade_bands(3).grade() == "poor");
    CHECK(policy.grade_bands(3).min_score() == 0);
  }
}

TEST_CASE("a refused policy names the file, the field and the reason in one line", "[policy]") {
  TempDir dir;
  const std::string path =
      dir.write("zero_based_review.textproto", text_of(default_policy_with([](auto& p) {
                  p.mutable_monitoring()->set_red_lag_points(10);
                })));

  const auto loaded = load_policy_file(path);
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.status().message() ==
        path + ": monitoring.red_lag_points: must be greater than yellow_lag_points (10)");
  // The file is the thing at fault, so to_string() does not repeat the field.
  CHECK(loaded.status().to_string() == "INVALID_ARGUMENT: " + loaded.status().message());
}

TEST_CASE("version: required, at most 64 characters, no whitespace", "[policy]") {
  require_refused([](auto& p) { p.clear_version(); }, "version", "must not be empty");
  require_refused([](auto& p) { p.set_version(std::string(65, 'v')); }, "version",
                  "at most 64 characters");
  require_refused([](auto& p) { p.set_version("2027 .1"); }, "version", "whitespace");
  require_refused([](auto& p) { p.set_version("2027.1\n"); }, "version", "whitespace");
  require_accepted([](auto& p) { p.set_version(std::string(64, 'v')); });
}

TEST_CASE("approval and adjustment chains: levels present, named [a-z0-9_]+, unique, with a role",
          "[policy]") {
  SECTION("a chain needs at least one level") {
    require_refused([](auto& p) { p.clear_approval_chain(); }, "approval_chain",
                    "at least one level");
    require_refused([](auto& p) { p.clear_adjustment_chain(); }, "adjustment_chain",
                    "at least one level");
  }
  SECTION("level names") {
    require_refused([](auto& p) { p.mutable_approval_chain(1)->clear_name(); },
                    "approval_chain[1].name", "must not be empty");
    require_refused([](auto& p) { p.mutable_approval_chain(1)->set_name("Budget Section"); },
                    "approval_chain[1].name", "must match [a-z0-9_]+");
    require_refused([](auto& p) { p.mutable_adjustment_chain(0)->set_name("budget-section"); },
                    "adjustment_chain[0].name", "must match [a-z0-9_]+");
  }
  SECTION("a level name is unique within its chain, and may recur in the other chain") {
    require_refused([](auto& p) { p.mutable_approval_chain(3)->set_name("budget_section"); },
                    "approval_chain[3].name", "duplicates approval_chain[1].name");
    // budget_section and bureau_head are in both chains of the default policy already.
    require_accepted([](auto&) {});
  }
  SECTION("every level has a role") {
    require_refused([](auto& p) { p.mutable_approval_chain(2)->clear_role(); },
                    "approval_chain[2].role", "must not be empty");
    require_refused([](auto& p) { p.mutable_adjustment_chain(1)->clear_role(); },
                    "adjustment_chain[1].role", "must not be empty");
    require_refused([](auto& p) { p.mutable_approval_chain(0)->set_role("approver: head"); },
                    "approval_chain[0].role", "whitespace");
  }
}

TEST_CASE("sla_days: exactly the active states, each 1 to 3650 days", "[policy]") {
  SECTION("an unknown state is refused") {
    require_refused([](auto& p) { (*p.mutable_sla_days())["justification.lost"] = 5; },
                    "sla_days[\"justification.lost\"]", "not a state of the zero-based review");
  }
  SECTION("a terminal state has no SLA") {
    for (std::string_view terminal : zbb::review::kTerminalStates) {
      const std::string state(terminal);
      require_refused([&](auto& p) { (*p.mutable_sla_days())[state] = 5; },
                      "sla_days[\"" + state + "\"]", "terminal state");
    }
  }
  SECTION("days are between 1 and 3650") {
    require_refused([](auto& p) { (*p.mutable_sla_days())["draft"] = 0; }, "sla_days[\"draft\"]",
                    "at least 1 day");
    require_refused([](auto& p) { (*p.mutable_sla_days())["draft"] = 3651; }, "sla_days[\"draft\"]",
                    "at most 3650 days");
    require_accepted([](auto& p) { (*p.mutable_sla_days())["draft"] = 1; });
    require_accepted([](auto& p) { (*p.mutable_sla_days())["draft"] = 3650; });
  }
  SECTION("every active state must have an SLA") {
    for (std::string_view active : zbb::review::kActiveStates) {
      const std::string state(active);
      require_refused([&](auto& p) { p.mutable_sla_days()->erase(state); },
                      "sla_days[\"" + state + "\"]", "every active state needs an SLA");
    }
  }
  SECTION("a state given twice in the file is refused, not silently overwritten") {
    TempDir dir;
    const std::string path = dir.write(
        "policy.textproto", text_of(default_policy()) + "sla_days { key: \"draft\" value: 300 }\n");
    const auto loaded = load_policy_file(path);
    REQUIRE_FALSE(loaded.ok());
    CHECK_THAT(loaded.status().message(), StartsWith(path + ": sla_days[\"draft\"]: "));
    CHECK_THAT(loaded.status().message(), Contains("given more than once"));
  }
}

TEST_CASE(
    "monitoring: real MM-DD checkpoints in order, progress rising in 1..100, red above "
    "yellow up to 100",
    "[policy]") {
  // The policy with one checkpoint only, on `date`.
  auto checkpoint = [](std::string date) {
    return [date](WorkflowPolicy& p) {
      auto* checkpoints = p.mutable_monitoring()->mutable_checkpoints();
      checkpoints->DeleteSubrange(1, checkpoints->size() - 1);
      checkpoints->Mutable(0)->set_date(date);
      checkpoints->Mutable(0)->set_dual(true);
    };
  };
  SECTION("a checkpoint is written MM-DD") {
    for (const char* date : {"6-30", "06/30", "06-30-2027", "0630", "ab-cd", "06-3x"}) {
      INFO(date);
      require_refused(checkpoint(date), "monitoring.checkpoints[0].date", "must be \"MM-DD\"");
    }
    require_refused([](auto& p) { p.clear_monitoring(); }, "monitoring.checkpoints",
                    "at least one checkpoint");
  }
  SECTION("a checkpoint is a date that exists every year") {
    for (const char* date : {"00-10", "13-01", "02-30", "04-31", "06-00", "12-32"}) {
      INFO(date);
      require_refused(checkpoint(date), "monitoring.checkpoints[0].date", "is not a date");
    }
    require_refused(checkpoint("02-29"), "monitoring.checkpoints[0].date",
                    "does not exist in every fiscal year");
    for (const char* date : {"01-01", "02-28", "09-30", "12-31"}) {
      INFO(date);
      require_accepted(checkpoint(date));
    }
  }
  SECTION("exactly one checkpoint is the dual-monitoring one") {
    require_refused(
        [](auto& p) { p.mutable_monitoring()->mutable_checkpoints(1)->set_dual(false); },
        "monitoring.checkpoints", "exactly one checkpoint dual");
    require_refused([](auto& p) { p.mutable_monitoring()->mutable_checkpoints(2)->set_dual(true); },
                    "monitoring.checkpoints", "exactly one checkpoint dual");
  }
  SECTION("the single checkpoint of before is refused naming what replaces it") {
    require_refused([](auto& p) { p.mutable_monitoring()->set_checkpoint_date("06-30"); },
                    "monitoring.checkpoint_date", "is replaced by checkpoints");
    require_refused([](auto& p) { p.mutable_monitoring()->set_time_progress_percent(50); },
                    "monitoring.time_progress_percent", "is replaced by checkpoints");
  }
  SECTION("checkpoints come in date order, each with more time progress than the one before") {
    require_refused(
        [](auto& p) { p.mutable_monitoring()->mutable_checkpoints(1)->set_date("03-31"); },
        "monitoring.checkpoints[1].date", "must come after the checkpoint before it");
    require_refused(
        [](auto& p) { p.mutable_monitoring()->mutable_checkpoints(2)->set_date("06-01"); },
        "monitoring.checkpoints[2].date", "must come after the checkpoint before it");
    require_refused(
        [](auto& p) {
          p.mutable_monitoring()->mutable_checkpoints(1)->set_time_progress_percent(25);
        },
        "monitoring.checkpoints[1].time_progress_percent", "must be above");
  }
  SECTION("time progress is a percentage from 1 to 100") {
    require_refused(
        [](auto& p) {
          p.mutable_monitoring()->mutable_checkpoints(0)->set_time_progress_percent(0);
        },
        "monitoring.checkpoints[0].time_progress_percent", "between 1 and 100");
    require_refused(
        [](auto& p) {
          p.mutable_monitoring()->mutable_checkpoints(2)->set_time_progress_percent(101);
        },
        "monitoring.checkpoints[2].time_progress_percent", "between 1 and 100");
    require_accepted([](auto& p) {
      p.mutable_monitoring()->mutable_checkpoints(2)->set_time_progress_percent(100);
    });
  }
  SECTION("lag thresholds: yellow at least 1, red above yellow, red at most 100") {
    require_refused([](auto& p) { p.mutable_monitoring()->set_yellow_lag_points(0); },
                    "monitoring.yellow_lag_points", "at least 1");
    require_refused([](auto& p) { p.mutable_monitoring()->set_red_lag_points(10); },
                    "monitoring.red_lag_points", "must be greater than yellow_lag_points (10)");
    require_refused([](auto& p) { p.mutable_monitoring()->set_red_lag_points(101); },
                    "monitoring.red_lag_points", "at most 100");
    require_accepted([](auto& p) { p.mutable_monitoring()->set_red_lag_points(100); });
  }
  SECTION("ahead thresholds: the same rules") {
    require_refused([](auto& p) { p.mutable_monitoring()->set_yellow_ahead_points(0); },
                    "monitoring.yellow_ahead_points", "at least 1");
    require_refused([](auto& p) { p.mutable_monitoring()->set_red_ahead_points(19); },
                    "monitoring.red_ahead_points", "must be greater than yellow_ahead_points (20)");
    require_refused([](auto& p) { p.mutable_monitoring()->set_red_ahead_points(150); },
                    "monitoring.red_ahead_points", "at most 100");
  }
}

TEST_CASE("ranking criteria: present, uniquely named, weights at least 1 and summing to 100",
          "[policy]") {
  require_refused([](auto& p) { p.clear_ranking_criteria(); }, "ranking_criteria",
                  "at least one criterion");
  require_refused([](auto& p) { p.mutable_ranking_criteria(2)->clear_name(); },
                  "ranking_criteria[2].name", "must not be empty");
  require_refused([](auto& p) { p.mutable_ranking_criteria(4)->set_name("urgency"); },
                  "ranking_criteria[4].name", "duplicates ranking_criteria[1].name");
  require_refused(
      [](auto& p) {
        p.mutable_ranking_criteria(0)->set_weight(40);
        p.mutable_ranking_criteria(3)->set_weight(0);
      },
      "ranking_criteria[3].weight", "at least 1");
  require_refused([](auto& p) { p.mutable_ranking_criteria(0)->set_weight(25); },
                  "ranking_criteria", "weights must sum to 100 (got 95)");
  require_refused([](auto& p) { p.mutable_ranking_criteria(0)->set_weight(35); },
                  "ranking_criteria", "weights must sum to 100 (got 105)");
  // Huge weights must not wrap around to a sum of 100.
  require_refused(
      [](auto& p) {
        p.clear_ranking_criteria();
        for (const char* name : {"a", "b"}) {
          auto* criterion = p.add_ranking_criteria();
          criterion->set_name(name);
          criterion->set_weight(name[0] == 'a' ? 0x80000000u : 0x80000064u);
        }
      },
      "ranking_criteria", "weights must sum to 100");
}

TEST_CASE("evaluation points sum to 100 — a part may be worth nothing", "[policy]") {
  require_refused([](auto& p) { p.mutable_evaluation()->set_satisfaction_points(5); }, "evaluation",
                  "must sum to 100 (got 95)");
  require_refused([](auto& p) { p.clear_evaluation(); }, "evaluation", "must sum to 100 (got 0)");
  require_accepted([](auto& p) {
    p.mutable_evaluation()->set_satisfaction_points(0);
    p.mutable_evaluation()->set_output_points(60);
  });
}

TEST_CASE(
    "the national method's numbers: a satisfaction target, qualitative bands, focused "
    "selection",
    "[policy]") {
  const WorkflowPolicy policy = default_policy();
  const auto& shipped = policy.evaluation();
  CHECK(shipped.satisfaction_target_percent() == 90);
  REQUIRE(shipped.qualitative_bands_size() == 3);
  CHECK(shipped.qualitative_bands(0).band() == "achieved");
  CHECK(shipped.qualitative_bands(0).min_percent() == 80);
  CHECK(shipped.qualitative_bands(2).max_percent() == 59);
  CHECK(shipped.focused().approved_above() == 5'000'000'00);
  CHECK(shipped.focused().red_during_year());

  require_refused([](auto& p) { p.mutable_evaluation()->set_satisfaction_target_percent(101); },
                  "evaluation.satisfaction_target_percent", "must be at most 100 (got 101)");
  require_refused(
      [](auto& p) { p.mutable_evaluation()->mutable_qualitative_bands(1)->set_band("achieved"); },
      "evaluation.qualitative_bands[1].band", "duplicates evaluation.qualitative_bands[0].band");
  require_refused(
      [](auto& p) { p.mutable_evaluation()->mutable_qualitative_bands(1)->set_band("Partly"); },
      "evaluation.qualitative_bands[1].band", "must match [a-z0-9_]+");
  require_refused(
      [](auto& p) { p.mutable_evaluation()->mutable_qualitative_bands(0)->set_max_percent(101); },
      "evaluation.qualitative_bands[0].max_percent", "must be at most 100 (got 101)");
  require_refused(
      [](auto& p) { p.mutable_evaluation()->mutable_qualitative_bands(2)->set_min_percent(60); },
      "evaluation.qualitative_bands[2].min_percent", "must not be above max_percent (got 60)");
  require_refused(
      [](auto& p) { p.mutable_evaluation()->mutable_focused()->set_approved_above(-1); },
      "evaluation.focused.approved_above", "must not be negative (got -1)");
  require_accepted([](auto& p) {
    p.mutable_evaluation()->clear_satisfaction_target_percent();
    p.mutable_evaluation()->clear_qualitative_bands();
    p.mutable_evaluation()->clear_focused();
  });
}

TEST_CASE("grade bands: uniquely named, highest first, strictly decreasing, the last at 0",
          "[policy]") {
  require_refused([](auto& p) { p.clear_grade_bands(); }, "grade_bands", "at least one band");
  require_refused([](auto& p) { p.mutable_grade_bands(1)->clear_grade(); }, "grade_bands[1].grade",
                  "must not be empty");
  require_refused([](auto& p) { p.mutable_grade_bands(2)->set_grade("good"); },
                  "grade_bands[2].grade", "duplicates grade_bands[1].grade");
  require_refused([](auto& p) { p.mutable_grade_bands(0)->set_min_score(101); },
                  "grade_bands[0].min_score", "at most 100");
  require_refused([](auto& p) { p.mutable_grade_bands(1)->set_min_score(90); },
                  "grade_bands[1].min_score", "must be lower than grade_bands[0].min_score (90)");
  require_refused([](auto& p) { p.mutable_grade_bands(2)->set_min_score(85); },
                  "grade_bands[2].min_score", "must be lower than grade_bands[1].min_score (80)");
  require_refused([](auto& p) { p.mutable_grade_bands(3)->set_min_score(10); },
                  "grade_bands[3].min_score", "last band must start at 0");
  require_accepted([](auto& p) {
    p.clear_grade_bands();
    auto* only = p.add_grade_bands();
    only->set_grade("pass");
    only->set_min_score(0);
    p.mutable_result_use()->clear_grades();  // no grade left to rule on
  });
}

TEST_CASE("a file that is not valid text format gives file:line:column and the parser's message",
          "[policy]") {
  TempDir dir;
  SECTION("a value of the wrong type") {
    const std::string path = dir.write("bad.textproto",
                                       "version: \"2027.1\"\n"
                                       "monitoring {\n"
                                       "  red_lag_points: twenty\n"
                                       "}\n");
    const auto loaded = load_policy_file(path);
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.status().code() == Code::kInvalidArgument);
    CHECK_THAT(loaded.status().message(), StartsWith(path + ":3:19: "));
    CHECK_THAT(loaded.status().message(), Contains("twenty"));
  }
  SECTION("a misspelt field name") {
    const std::string path = dir.write("bad.textproto", "version: \"2027.1\"\nsla_day { }\n");
    const auto loaded = load_policy_file(path);
    REQUIRE_FALSE(loaded.ok());
    CHECK_THAT(loaded.status().message(), StartsWith(path + ":2:"));
    CHECK_THAT(loaded.status().message(), Contains("no field named \"sla_day\""));
  }
  SECTION("a negative number") {
    const std::string path =
        dir.write("bad.textproto", "version: \"2027.1\"\nsla_days { key: \"draft\" value: -3 }\n");
    const auto loaded = load_policy_file(path);
    REQUIRE_FALSE(loaded.ok());
    CHECK_THAT(loaded.status().message(), StartsWith(path + ":2:"));
  }
  SECTION("a field given twice") {
    const std::string path = dir.write("bad.textproto", "version: \"a\"\nversion: \"b\"\n");
    const auto loaded = load_policy_file(path);
    REQUIRE_FALSE(loaded.ok());
    CHECK_THAT(loaded.status().message(), StartsWith(path + ":2:"));
    CHECK_THAT(loaded.status().message(), Contains("specified multiple times"));
  }
  SECTION("an empty file parses, then fails validation on the first required field") {
    const std::string path = dir.write("empty.textproto", "");
    const auto loaded = load_policy_file(path);
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.status().message() == path + ": version: must not be empty");
  }
}

TEST_CASE("a policy file that cannot be read is named with the cause", "[policy]") {
  TempDir dir;
  SECTION("missing") {
    const std::string path = dir.path_of("absent.textproto");
    const auto loaded = load_policy_file(path);
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.status().code() == Code::kInvalidArgument);
    CHECK_THAT(loaded.status().message(), StartsWith(path + ": cannot read policy file"));
    CHECK_THAT(loaded.status().message(), Contains("No such file or directory"));
  }
  SECTION("a directory") {
    const auto loaded = load_policy_file(dir.path());
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.status().message() == dir.path() + ": is not a regular file");
  }
  SECTION("no path at all") {
    const auto loaded = load_policy_file("");
    REQUIRE_FALSE(loaded.ok());
    CHECK_THAT(loaded.status().message(), Contains("path is empty"));
  }
}

TEST_CASE("a policy set keeps every loaded version and knows the current one", "[policy]") {
  TempDir dir;
  const std::string path_2027 = dir.write("2027.textproto", text_of(default_policy()));
  const std::string path_2026 =
      dir.write("2026.textproto", text_of(default_policy_with([](auto& p) {
                  p.set_version("2026.2");
                  p.mutable_monitoring()->mutable_checkpoints(1)->set_time_progress_percent(45);
                })));

  SECTION("new lines use the named current version; older versions stay findable") {
    auto set = load_policy_files({path_2026, path_2027}, "2027.1");
    INFO(set.status().to_string());
    REQUIRE(set.ok());
    CHECK(set->size() == 2);
    CHECK(set->current_version() == "2027.1");
    CHECK(set->current().version() == "2027.1");
    REQUIRE(set->find("2026.2") != nullptr);
    CHECK(set->find("2026.2")->monitoring().checkpoints(1).time_progress_percent() == 45);
    CHECK(set->find("2025.1") == nullptr);
    CHECK(set->versions() == std::vector<std::string>{"2026.2", "2027.1"});
  }
  SECTION("with one policy and no current version named, that policy is current") {
    auto set = load_policy_files({path_2026}, "");
    REQUIRE(set.ok());
    CHECK(set->current().version() == "2026.2");
  }
  SECTION("with several policies, the current version must be named") {
    auto set = load_policy_files({path_2026, path_2027}, "");
    REQUIRE_FALSE(set.ok());
    CHECK_THAT(set.status().message(), Contains("several policies are loaded"));
    CHECK_THAT(set.status().message(), Contains("2026.2, 2027.1"));
  }
  SECTION("the current version must be one of those loaded") {
    auto set = load_policy_files({path_2026, path_2027}, "2028.1");
    REQUIRE_FALSE(set.ok());
    CHECK_THAT(set.status().message(), Contains("\"2028.1\" is not loaded"));
  }
  SECTION("two files with the same version are refused, naming both") {
    const std::string copy = dir.write("copy.textproto", text_of(default_policy()));
    auto set = load_policy_files({path_2027, path_2026, copy}, "2027.1");
    REQUIRE_FALSE(set.ok());
    CHECK(set.status().code() == Code::kInvalidArgument);
    CHECK(set.status().message() ==
          "policy version \"2027.1\" is defined twice: in " + path_2027 + " and in " + copy);
  }
  SECTION("one bad file refuses the whole set, naming that file") {
    const std::string bad = dir.write("bad.textproto", "version: \"2025.1\"\n");
    auto set = load_policy_files({path_2027, bad}, "2027.1");
    REQUIRE_FALSE(set.ok());
    CHECK_THAT(set.status().message(), StartsWith(bad + ": approval_chain: "));
  }
  SECTION("no files at all") {
    auto set = load_policy_files({}, "");
    REQUIRE_FALSE(set.ok());
    CHECK_THAT(set.status().message(), Contains("no policy files"));
  }
  SECTION("a set is a value: copies are independent of the original") {
    static_assert(std::is_copy_constructible_v<PolicySet>);
    static_assert(std::is_nothrow_move_constructible_v<PolicySet>);
    auto loaded = load_policy_files({path_2026, path_2027}, "2027.1");
    REQUIRE(loaded.ok());
    const PolicySet copy = *loaded;
    const PolicySet moved = std::move(loaded).value();
    CHECK(copy.current().version() == "2027.1");
    CHECK(moved.current().version() == "2027.1");
    CHECK(copy.find("2026.2") != moved.find("2026.2"));
    CHECK(&copy.current() != &moved.current());
  }
}

TEST_CASE("a policy set can be built from policies in memory", "[policy]") {
  SECTION("policies are validated, and named by their index when no source is given") {
    auto set = PolicySet::from_policies(
        {default_policy(), default_policy_with([](auto& p) { p.clear_grade_bands(); })}, "2027.1");
    REQUIRE_FALSE(set.ok());
    CHECK(set.status().message() == "policies[1]: grade_bands: must have at least one band");
  }
  SECTION("a valid policy becomes current") {
    auto set = PolicySet::from_policies({default_policy()}, "", {"built-in"});
    REQUIRE(set.ok());
    CHECK(set->current().version() == "2027.1");
  }
}

namespace zbb::review {
namespace {

TEST_CASE("decision-package factors: minimum, current, enhancement, falling, 1 to 100",
          "[policy]") {
  const auto& policy = default_policy();
  REQUIRE(policy.increment_factors_size() == 3);
  CHECK(policy.increment_factors(1).percent() == 80);
  require_refused([](auto& p) { p.mutable_increment_factors()->RemoveLast(); }, "increment_factors",
                  "minimum, current and enhancement");
  require_refused([](auto& p) { p.mutable_increment_factors(1)->set_level("enhancement"); },
                  "increment_factors[1].level", "must be \"current\"");
  require_refused([](auto& p) { p.mutable_increment_factors(0)->set_percent(101); },
                  "increment_factors[0].percent", "must be 1 to 100");
  require_refused([](auto& p) { p.mutable_increment_factors(2)->set_percent(80); },
                  "increment_factors[2].percent", "lower than the level before it");
}

TEST_CASE("the tie rule and the days after the year are named", "[policy]") {
  CHECK(default_policy().year_end().evaluation_opens() == "01-15");
  CHECK(default_policy().year_end().final_accounts() == "01-31");
  require_refused([](auto& p) { p.set_tie_break("random"); }, "tie_break", "earlier_submission");
  require_refused([](auto& p) { p.mutable_year_end()->clear_evaluation_opens(); },
                  "year_end.evaluation_opens", "MM-DD");
  require_refused([](auto& p) { p.mutable_year_end()->set_evaluation_opens("01-32"); },
                  "year_end.evaluation_opens", "is not a date");
  require_refused([](auto& p) { p.mutable_year_end()->set_final_accounts("2-28"); },
                  "year_end.final_accounts", "MM-DD");
  // The day of the fiscal year of before: refused naming its replacement.
  require_refused([](auto& p) { p.set_evaluation_opens("12-01"); }, "evaluation_opens",
                  "is replaced by year_end");
}

TEST_CASE("an approval level's role is approver:<its name>", "[policy]") {
  require_refused([](auto& p) { p.mutable_approval_chain(0)->set_role("approver:dept_chief"); },
                  "approval_chain[0].role", "must be \"approver:department_head\"");
  require_refused(
      [](auto& p) { p.mutable_adjustment_chain(1)->set_role("approver:budget_section"); },
      "adjustment_chain[1].role", "must be \"approver:bureau_head\"");
}

}  // namespace
}  // namespace zbb::review

namespace zbb::review {
namespace {

TEST_CASE("result use rules per grade: history points, a cut of the request, a rectification",
          "[policy]") {
  const auto use = default_policy().result_use();
  CHECK(use.history_criterion() == "performance_history");
  CHECK(use.base_points() == 60);
  REQUIRE(use.grades_size() == 4);
  CHECK((use.grades(0).grade() == "excellent" && use.grades(0).bonus_points() == 40));
  CHECK((use.grades(1).grade() == "good" && use.grades(1).bonus_points() == 20));
  CHECK((use.grades(2).grade() == "fair" && use.grades(2).cut_percent() == 10 &&
         !use.grades(2).rectification()));
  CHECK((use.grades(3).grade() == "poor" && use.grades(3).cut_percent() == 30 &&
         use.grades(3).rectification()));
  require_refused([](auto& p) { p.mutable_result_use()->mutable_grades(0)->set_grade("awful"); },
                  "result_use.grades[0].grade", "is not a grade of grade_bands");
  require_refused([](auto& p) { p.mutable_result_use()->mutable_grades(1)->set_grade("poor"); },
                  "result_use.grades[3].grade", "has a rule already");
  require_refused([](auto& p) { p.mutable_result_use()->mutable_grades(3)->set_cut_percent(101); },
                  "result_use.grades[3].cut_percent", "0 to 100");
  require_accepted(
      [](auto& p) { p.mutable_result_use()->mutable_grades(3)->set_cut_percent(100); });
  // 60 + 40 is the most a criterion scores; one point more is not.
  require_refused([](auto& p) { p.mutable_result_use()->mutable_grades(0)->set_bonus_points(41); },
                  "result_use.grades[0].bonus_points", "beyond 100 (base 60 + bonus 41)");
  // A bonus that would wrap around 32 bits is refused as well.
  require_refused(
      [](auto& p) { p.mutable_result_use()->mutable_grades(0)->set_bonus_points(4294967276u); },
      "result_use.grades[0].bonus_points", "beyond 100");
  require_refused([](auto& p) { p.mutable_result_use()->set_base_points(101); },
                  "result_use.base_points", "0 to 100");
  // The rules before per-grade ones are refused by name, not dropped.
  require_refused([](auto& p) { p.mutable_result_use()->add_flagged_grades("poor"); },
                  "result_use.flagged_grades", "is no longer read");
  require_refused([](auto& p) { p.mutable_result_use()->set_cap_percent(80); },
                  "result_use.cap_percent", "is no longer read");
  require_refused([](auto& p) { p.mutable_result_use()->set_history_criterion("history"); },
                  "result_use.history_criterion", "is not a criterion of ranking_criteria");
  require_accepted([](auto& p) { p.mutable_result_use()->clear_history_criterion(); });
}

TEST_CASE("prior assessment thresholds are amounts in fen, 0 leaving a rule out", "[policy]") {
  CHECK(default_policy().prior_assessment().new_programme_above() == 1'000'000'00);
  CHECK(default_policy().prior_assessment().any_line_above() == 10'000'000'00);
  require_refused([](auto& p) { p.mutable_prior_assessment()->set_any_line_above(-1); },
                  "prior_assessment.any_line_above", "must be 0 to");
  require_refused(
      [](auto& p) { p.mutable_prior_assessment()->set_new_programme_above(100'000'000'000'001); },
      "prior_assessment.new_programme_above", "must be 0 to");
  require_accepted([](auto& p) { p.clear_prior_assessment(); });
}

TEST_CASE("copied justifications are flagged from a percentage and refused only when asked",
          "[policy]") {
  CHECK(default_policy().copied_justification().threshold_percent() == 90);
  CHECK_FALSE(default_policy().copied_justification().refuse_copied());
  require_refused([](auto& p) { p.mutable_copied_justification()->set_threshold_percent(101); },
                  "copied_justification.threshold_percent", "0 to 100");
  require_refused(
      [](auto& p) {
        p.mutable_copied_justification()->set_threshold_percent(0);
        p.mutable_copied_justification()->set_refuse_copied(true);
      },
      "copied_justification.refuse_copied", "needs a threshold_percent");
}

TEST_CASE("the project library is required and titles are judged from percentages", "[policy]") {
  const auto library = default_policy().library();
  CHECK(library_required(library));
  CHECK(library.similar_title_percent() == 80);
  CHECK(library.duplicate_title_percent() == 95);
  CHECK(library_required(zbb::policy::Library()));  // unset: required
  require_refused([](auto& p) { p.mutable_library()->set_similar_title_percent(101); },
                  "library.similar_title_percent", "0 to 100");
  require_refused([](auto& p) { p.mutable_library()->set_duplicate_title_percent(101); },
                  "library.duplicate_title_percent", "0 to 100");
  require_refused([](auto& p) { p.mutable_library()->set_duplicate_title_percent(79); },
                  "library.duplicate_title_percent", "not be below similar_title_percent");
  require_accepted([](auto& p) {
    p.mutable_library()->set_duplicate_title_percent(0);
    p.mutable_library()->set_require_library(false);
  });
}

TEST_CASE("the disclosure columns are line columns, each named once", "[policy]") {
  CHECK(default_policy().disclosure().public_columns_size() == 6);
  require_refused([](auto& p) { p.mutable_disclosure()->add_public_columns("salary"); },
                  "disclosure.public_columns[6]", "is not a line column");
  require_refused([](auto& p) { p.mutable_disclosure()->add_public_columns("title"); },
                  "disclosure.public_columns[6]", "named twice");
  require_accepted([](auto& p) { p.clear_disclosure(); });
}

}  // namespace
}  // namespace zbb::review

TEST_CASE("sla_calendar: working days with real, distinct dates — worked days on weekends",
          "[policy]") {
  const auto working = [](zbb::policy::WorkflowPolicy& p) {
    p.mutable_sla_calendar()->set_working_days(true);
  };
  require_accepted(working);
  require_accepted([&](auto& p) {
    working(p);
    p.mutable_sla_calendar()->add_holidays("2027-02-08");
    p.mutable_sla_calendar()->add_holidays("2027-10-02");  // a Saturday: harmless
    p.mutable_sla_calendar()->add_working_weekends("2027-02-06");
  });
  require_refused([](auto& p) { p.mutable_sla_calendar()->add_holidays("2027-02-08"); },
                  "sla_calendar.working_days", "must be true");
  require_refused(
      [&](auto& p) {
        working(p);
        p.mutable_sla_calendar()->add_holidays("2027-02-30");
      },
      "sla_calendar.holidays[0]", "YYYY-MM-DD");
  require_refused(
      [&](auto& p) {
        working(p);
        p.mutable_sla_calendar()->add_holidays("2027-2-8");
      },
      "sla_calendar.holidays[0]", "YYYY-MM-DD");
  require_refused(
      [&](auto& p) {
        working(p);
        p.mutable_sla_calendar()->add_holidays("2027-02-08");
        p.mutable_sla_calendar()->add_holidays("2027-02-08");
      },
      "sla_calendar.holidays[1]", "listed twice");
  require_refused(
      [&](auto& p) {
        working(p);
        p.mutable_sla_calendar()->add_working_weekends("2027-02-08");  // a Monday
      },
      "sla_calendar.working_weekends[0]", "not a Saturday or Sunday");
  require_refused(
      [&](auto& p) {
        working(p);
        p.mutable_sla_calendar()->add_holidays("2027-02-06");
        p.mutable_sla_calendar()->add_working_weekends("2027-02-06");
      },
      "sla_calendar.working_weekends[0]", "listed twice");
}
