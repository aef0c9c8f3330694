// zbbctl: the command-line client of zbbd for people — reviewers, approvers, supervisors and
// spending units. Tables for people by default, protobuf JSON with --json.

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>

#include "adapters/cli/zbbctl_audit.h"
#include "adapters/cli/zbbctl_client.h"
#include "adapters/cli/zbbctl_commands.h"
#include "adapters/cli/zbbctl_database.h"
#include "adapters/cli/zbbctl_department_report.h"
#include "adapters/cli/zbbctl_execution_report.h"
#include "adapters/cli/zbbctl_export.h"
#include "adapters/cli/zbbctl_failure.h"
#include "adapters/cli/zbbctl_import.h"
#include "adapters/cli/zbbctl_pools_reports.h"
#include "adapters/cli/zbbctl_programmes.h"
#include "adapters/cli/zbbctl_rounds.h"
#include "adapters/cli/zbbctl_supervision.h"
#include "adapters/cli/zbbctl_targets.h"

namespace zbb::cli {
namespace {

namespace v1 = zbb::v1;

struct GlobalOptions {
  std::string server = "127.0.0.1:50051";
  std::string token;
  std::string token_file;
  bool json = false;
  double timeout_seconds = 10;
};

// The token from --token-file, --token or ZBB_TOKEN, in that order; surrounding white space
// (the file's final line break) is not part of it.
Outcome resolve_token(GlobalOptions& options) {
  if (!options.token_file.empty()) {
    std::ifstream in(options.token_file);
    if (!in || !std::getline(in, options.token))
      return Failure::usage("cannot read a token from " + options.token_file);
  } else if (options.token.empty()) {
    if (const char* from_env = std::getenv("ZBB_TOKEN")) options.token = from_env;
  }
  const auto first = options.token.find_first_not_of(" \t\r\n");
  const auto last = options.token.find_last_not_of(" \t\r\n");
  options.token = first == std::string::npos ? "" : options.token.substr(first, last - first + 1);
  if (options.token.empty())
    return Failure::usage("no token: give --token, --token-file or set ZBB_TOKEN");
  return std::nullopt;
}

int report(const Failure& failure) {
  std::cerr << failure_line(failure) << std::endl;
  return failure.exit_code;
}

int run(int argc, char** argv) {
  CLI::App app{"zbbctl — work with budget lines in zbbd: your queue, lines, decisions, events"};
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the subcommand

  GlobalOptions global;
  app.add_option("--server", global.server,
                 "zbbd address, HOST:PORT; several sharing a database: IP:PORT,IP:PORT,… "
                 "(each call to the next)")
      ->envname("ZBB_SERVER")
      ->capture_default_str();
  auto* token = app.add_option("--token", global.token, "bearer token (default: env ZBB_TOKEN)");
  app.add_option("--token-file", global.token_file, "file holding the bearer token")
      ->excludes(token);
  app.add_flag("--json", global.json, "protobuf JSON output, one document per command");
  app.add_option("--timeout", global.timeout_seconds, "seconds each call may take")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();

  auto* queue = app.add_subcommand("queue", "lines waiting on you (every page)");

  ListOptions list_options;
  auto* list = app.add_subcommand("list", "lines matching filters, a page at a time");
  list->add_option("--year", list_options.fiscal_year, "fiscal year");
  list->add_option("--department", list_options.department, "spending unit");
  list->add_option("--state", list_options.state, "state id, e.g. approval.awaiting_decision");
  list->add_option("--category", list_options.category, "basic|project|department_overall")
      ->check(CLI::IsMember({"basic", "project", "department_overall"}));
  list->add_option("--waiting-on", list_options.waiting_on,
                   "role, e.g. reviewer or approver:budget_section");
  list->add_option("--page-size", list_options.page_size, "lines per page, 1..500")
      ->check(CLI::Range(1, 500));
  list->add_option("--page-token", list_options.page_token, "token printed by the previous page");
  list->add_flag("--all", list_options.all, "every page");

  std::string line_id;
  std::string request_id;
  auto add_line = [&](CLI::App* command) {
    command->add_option("LINE", line_id, "line id")->required();
  };
  auto add_request_id = [&](CLI::App* command) {
    command->add_option("--request-id", request_id,
                        "request id (default: a fresh one); repeat one to retry safely");
  };

  std::string show_as_of;
  auto* show = app.add_subcommand("show", "a line's fields and history");
  add_line(show);
  show->add_option("--as-of", show_as_of,
                   "the line as it stood then: YYYY-MM-DD (midnight UTC) or YYYY-MM-DDTHH:MM:SSZ");

  CreateOptions create_options;
  auto* create = app.add_subcommand("create", "create a line from a zbb.v1.LineContent JSON file");
  create->add_option("--file", create_options.file, "LineContent in protobuf JSON")
      ->required()
      ->check(CLI::ExistingFile);
  create->add_option("--line-id", create_options.line_id, "id of the new line (default: derived)");
  add_request_id(create);

  PushOptions push_options;
  std::int64_t expected_version = 0;
  auto* push = app.add_subcommand("push", "apply any event, given as zbb.v1.LineEvent JSON");
  add_line(push);
  push->add_option("--event", push_options.event_json, R"(e.g. '{"submit":{}}')")->required();
  auto* expected =
      push->add_option("--expected-version", expected_version, "refuse unless at this version");
  add_request_id(push);

  DecisionOptions decision_options;
  std::string amount;
  auto* approve = app.add_subcommand("approve", "approve at the level the line waits on");
  add_line(approve);
  auto* amount_option = approve->add_option("--amount", amount, "yuan granted, e.g. 1,250,000.00");
  approve->add_option("--comment", decision_options.comment, "comment");
  add_request_id(approve);
  auto* reject = app.add_subcommand("reject", "reject at the level the line waits on");
  auto* send_back = app.add_subcommand("return", "return the line to its unit for revision");
  for (auto* command : {reject, send_back}) {
    add_line(command);
    command->add_option("--comment", decision_options.comment, "why (required)")->required();
    add_request_id(command);
  }

  ReviewOptions review_options;
  bool return_targets = false;
  auto* review = app.add_subcommand(
      "review", "accept or return a line's performance targets, or its correction");
  add_line(review);
  auto* accept = review->add_flag("--accept", review_options.accept, "accept the targets");
  review->add_flag("--return", return_targets, "return the line for revision")->excludes(accept);
  review->add_option("--comment", review_options.comment, "comment (required to return)");
  auto* restated =
      review->add_flag("--restated", review_options.restated,
                       "the targets restated for the money approved, not the request's");
  review
      ->add_flag("--correction", review_options.correction,
                 "the unit's answer to the line's correction (整改), not targets")
      ->excludes(restated);
  add_request_id(review);

  CorrectOptions correct_options;
  auto* correct = app.add_subcommand(
      "correct", "answer a line's correction (整改) with measures and their deadline");
  add_line(correct);
  correct->add_option("--measures", correct_options.measures, "what the unit does")->required();
  correct->add_option("--deadline", correct_options.deadline, "YYYY-MM-DD, when it is done")
      ->required();
  add_request_id(correct);

  RestateOptions restate_options;
  auto* restate = app.add_subcommand(
      "restate", "restate the targets of a line approved below its request, for the money");
  // One value per --target, so that the line id may follow it.
  restate
      ->add_option("--target", restate_options.targets,
                   "NAME=VALUE, a quantitative indicator's new target (others keep theirs)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->required();
  restate->add_option("--comment", restate_options.comment, "comment");
  add_line(restate);
  add_request_id(restate);

  auto* take = app.add_subcommand("take", "take a submitted line for target review");
  add_line(take);
  add_request_id(take);

  WatchOptions watch_options;
  auto* watch = app.add_subcommand("watch", "print events as they are committed");
  watch->add_option("--after", watch_options.after, "global sequence to resume after")
      ->check(CLI::NonNegativeNumber);
  watch->add_option("--count", watch_options.count, "stop after this many events (shown)")
      ->check(CLI::PositiveNumber);
  watch->add_flag("--stuck", watch_options.stuck,
                  "only escalations: lines past the SLA of their state, one line each");

  StuckOptions stuck_options;
  std::string older_than;
  auto* stuck = app.add_subcommand(
      "stuck", "lines past the SLA due time of their state, most overdue first, a page at a time");
  stuck->add_option("--fiscal-year,--year", stuck_options.fiscal_year, "fiscal year");
  stuck->add_option("--department", stuck_options.department, "spending unit");
  stuck->add_option("--state", stuck_options.state, "state id, e.g. justification.submitted");
  stuck->add_option("--waiting-on", stuck_options.waiting_on,
                    "role, e.g. reviewer or approver:budget_section");
  auto* older_than_option = stuck->add_option(
      "--older-than", older_than,
      "instead: lines in their state at least this long, due or not (20d, 36h, 90m)");
  stuck->add_option("--page-size", stuck_options.page_size, "lines per page, 1..500")
      ->check(CLI::Range(1, 500));
  stuck->add_option("--page-token", stuck_options.page_token, "token printed by the previous page");
  stuck->add_flag("--all", stuck_options.all, "every page");

  SummaryOptions summary_options;
  auto* summary = app.add_subcommand(
      "summary", "counts, escalations and money of the lines by group, with each group's oldest");
  summary->add_option("--by", summary_options.by, "state, department, waiting-on or warning")
      ->check(CLI::IsMember({"state", "department", "waiting-on", "warning"}))
      ->capture_default_str();
  summary->add_option("--fiscal-year,--year", summary_options.fiscal_year, "fiscal year");
  summary->add_option("--department", summary_options.department, "spending unit");
  summary->add_option("--as-of", summary_options.as_of,
                      "the lines as they stood then: YYYY-MM-DD (midnight UTC) or "
                      "YYYY-MM-DDTHH:MM:SSZ");

  PoolOptions pool_options;
  auto* pool = app.add_subcommand(
      "pool",
      "a department's pool of unallocated money, or the county's of money recovered at closing, "
      "and the movements that made it");
  pool->add_option("--fiscal-year,--year", pool_options.fiscal_year, "fiscal year")->required();
  auto* pool_department =
      pool->add_option("--department", pool_options.department,
                       "spending unit (a unit of one department: its own by default)");
  pool->add_flag("--county", pool_options.county,
                 "the county's general pool: the money unspent at closing recovered to it")
      ->excludes(pool_department);
  pool->add_option("--movements", pool_options.movements, "the newest movements shown, 1..1000")
      ->check(CLI::Range(1, 1000));

  ReportsOptions reports_options;
  auto* reports =
      app.add_subcommand("reports", "the reports of rankings and monitoring rounds, oldest first");
  reports->add_option("--fiscal-year,--year", reports_options.fiscal_year, "fiscal year");
  reports->add_option("--department", reports_options.department, "spending unit");
  reports->add_option("--kind", reports_options.kind, "ranking or monitoring")
      ->check(CLI::IsMember({"ranking", "monitoring"}));
  reports->add_option("--page-size", reports_options.page_size, "reports per page, 1..500")
      ->check(CLI::Range(1, 500));
  reports->add_option("--page-token", reports_options.page_token,
                      "token printed by the previous page");
  reports->add_flag("--all", reports_options.all, "every page");

  std::string report_id;
  auto* report_command = app.add_subcommand(
      "report",
      "one report, as its run answered it; or the monthly execution report, or a department's "
      "year");
  // Not required by CLI11: `report monthly` names no id (a report id always holds a '|').
  report_command->add_option("REPORT", report_id, "the id `zbbctl reports` shows");
  MonthlyReportOptions monthly_options;
  auto* monthly = report_command->add_subcommand(
      "monthly", "the monthly execution report (预算执行月报) by department");
  monthly->add_option("--fiscal-year,--year", monthly_options.fiscal_year, "fiscal year")
      ->required();
  monthly
      ->add_option("--month", monthly_options.month,
                   "YYYY-MM, a month of the fiscal year or of the year after")
      ->required();
  monthly->add_option("--department", monthly_options.department,
                      "spending unit (default: every department; a unit: its own)");
  DepartmentReportOptions department_options;
  auto* department_report = report_command->add_subcommand(
      "department",
      "a department's year in one report (部门整体支出绩效评价), with its overall score");
  department_report
      ->add_option("--fiscal-year,--year", department_options.fiscal_year, "fiscal year")
      ->required();
  department_report->add_option("--department", department_options.department,
                                "spending unit (a unit of one department: its own by default)");

  ExportOptions export_options;
  auto* export_command = app.add_subcommand(
      "export", "a disclosure table (预决算公开, 绩效目标公开) as a CSV or XLSX file");
  export_command
      ->add_option("TABLE", export_options.table, "lines, ranking, monitoring or evaluation")
      ->required()
      ->check(CLI::IsMember({"lines", "ranking", "monitoring", "evaluation"}));
  export_command->add_option("--fiscal-year,--year", export_options.fiscal_year, "fiscal year")
      ->required();
  export_command->add_option("--department", export_options.department,
                             "one department (default: every one; a unit: its own)");
  export_command->add_option("--format", export_options.format, "csv or xlsx")
      ->check(CLI::IsMember({"csv", "xlsx"}))
      ->capture_default_str();
  export_command->add_option("--output,-o", export_options.output,
                             "the file to write (default: the name zbbd gives it, here)");

  std::string backup_database = "zbb.db";
  std::string backup_copy;
  auto* backup = app.add_subcommand(
      "backup", "copy a SQLite database zbbd is serving, consistently, without stopping it");
  backup->add_option("--database", backup_database, "the database file zbbd serves")
      ->capture_default_str();
  backup->add_option("COPY", backup_copy, "the new file to write (never overwritten)")->required();

  std::string copy_from;
  std::string copy_to;
  auto* copy_database = app.add_subcommand(
      "copy-database", "copy a SQLite database into an empty PostgreSQL database");
  copy_database->add_option("--from", copy_from, "the SQLite database file")->required();
  copy_database->add_option("--to", copy_to, "the PostgreSQL URL or connection string")->required();

  std::string verify_line;
  auto* verify = app.add_subcommand("verify", "recompute the audit trail's hash chains");
  verify->add_option("LINE", verify_line, "one line (default: every line)");

  RankOptions rank_options;
  auto* rank = app.add_subcommand(
      "rank", "rank the lines awaiting ranking and fund them down to the envelope, at once");
  rank->add_option("--year", rank_options.fiscal_year, "fiscal year")->required();
  rank->add_option("--department", rank_options.department, "one department (default: all)");
  rank->add_option("--envelope", rank_options.envelope, "the control figure, yuan")->required();
  rank->add_flag("--dry-run", rank_options.dry_run,
                 "preview the ranking and the cut without writing anything");
  add_request_id(rank);

  MonitorOptions monitor_options;
  auto* monitor = app.add_subcommand(
      "monitor", "a monitoring round: the checkpoint of every executing line, at once");
  monitor->add_option("--year", monitor_options.fiscal_year, "fiscal year")->required();
  monitor->add_option("--as-of", monitor_options.as_of, "YYYY-MM-DD")->required();
  monitor->add_option("--department", monitor_options.department, "one department (default: all)");
  add_request_id(monitor);

  ImportOptions import_options;
  auto* import = app.add_subcommand("import", "bulk intake from CSV sheets (UTF-8, a header row)");
  import->require_subcommand(1);
  auto* import_lines = import->add_subcommand("lines", "create budget lines from a CSV sheet");
  auto* import_execution =
      import->add_subcommand("execution", "push spending and indicator progress from a CSV sheet");
  for (auto* command : {import_lines, import_execution}) {
    command->add_option("FILE", import_options.file, "CSV file, UTF-8, with a header row")
        ->required()
        ->check(CLI::ExistingFile);
    command->add_flag("--all-or-nothing", import_options.all_or_nothing,
                      "one atomic call for the file; nothing is sent if any row is bad");
    add_request_id(command);
  }

  ProgrammeOptions programme_options;
  ProgrammeListOptions programmes_options;
  auto* programme = app.add_subcommand("programme", "the project library: programmes lines name");
  programme->require_subcommand(1);
  auto* propose_programme =
      programme->add_subcommand("propose", "propose a programme as a candidate");
  propose_programme->add_option("--department", programme_options.department, "its department")
      ->required();
  propose_programme->add_option("--title", programme_options.title, "its title")->required();
  propose_programme
      ->add_option("--category", programme_options.category, "basic, project or department_overall")
      ->required();
  propose_programme->add_option("--description", programme_options.description, "free text");
  auto* admit_programme = programme->add_subcommand("admit", "admit a candidate to the library");
  admit_programme->add_option("--comment", programme_options.comment, "why");
  auto* retire_programme =
      programme->add_subcommand("retire", "retire a programme: no new line may name it");
  retire_programme->add_option("--reason", programme_options.reason, "why")->required();
  for (auto* command : {propose_programme, admit_programme, retire_programme}) {
    command->add_option("CODE", programme_options.code, "programme code")->required();
    add_request_id(command);
  }
  std::string programme_code;
  auto* show_programme = programme->add_subcommand("show", "a programme's fields and history");
  show_programme->add_option("CODE", programme_code, "programme code")->required();
  auto* list_programmes = programme->add_subcommand("list", "programmes by code, a page at a time");
  list_programmes->add_option("--department", programmes_options.department, "department");
  list_programmes->add_option("--status", programmes_options.status,
                              "candidate, admitted or retired");
  list_programmes->add_option("--page-size", programmes_options.page_size, "1..500 (default 100)");
  list_programmes->add_option("--page-token", programmes_options.page_token,
                              "continue where a page ended");
  list_programmes->add_flag("--all", programmes_options.all, "every page");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // --help (of zbbctl or of a subcommand) is a "parse error" that exits 0 after the help.
    if (error.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(error);
    return report(Failure::usage(std::string(error.what()) + " (see zbbctl --help)"));
  }
  if (report_command->parsed() && !monthly->parsed() && !department_report->parsed() &&
      report_id.empty())
    return report(Failure::usage("report: give a report id, monthly or department"));
  if (review->parsed() && !review_options.accept && !return_targets)
    return report(Failure::usage("review: give --accept or --return"));

  // On the database itself: no zbbd, no token.
  if (backup->parsed() || copy_database->parsed()) {
    const Output local{std::cout, global.json};
    const Outcome done = backup->parsed() ? run_backup(backup_database, backup_copy, local)
                                          : run_copy_database(copy_from, copy_to, local);
    return done ? report(*done) : 0;
  }

  if (auto failure = resolve_token(global)) return report(*failure);
  Client client(
      {global.server, global.token,
       std::chrono::milliseconds(static_cast<std::int64_t>(global.timeout_seconds * 1000))});
  const Output output{std::cout, global.json};

  Outcome outcome;
  if (queue->parsed()) {
    outcome = run_queue(client, output);
  } else if (list->parsed()) {
    outcome = run_list(client, list_options, output);
  } else if (show->parsed()) {
    outcome = run_show(client, line_id, show_as_of, output);
  } else if (create->parsed()) {
    create_options.request_id = request_id;
    outcome = run_create(client, create_options, output);
  } else if (push->parsed()) {
    push_options.line_id = line_id;
    push_options.request_id = request_id;
    if (expected->count() > 0) push_options.expected_version = expected_version;
    outcome = run_push(client, push_options, output);
  } else if (approve->parsed() || reject->parsed() || send_back->parsed()) {
    decision_options.line_id = line_id;
    decision_options.request_id = request_id;
    decision_options.decision = approve->parsed()  ? v1::DECISION_APPROVE
                                : reject->parsed() ? v1::DECISION_REJECT
                                                   : v1::DECISION_RETURN;
    if (amount_option->count() > 0) decision_options.amount = amount;
    outcome = run_decision(client, decision_options, output);
  } else if (review->parsed()) {
    review_options.line_id = line_id;
    review_options.request_id = request_id;
    outcome = run_review(client, review_options, output);
  } else if (restate->parsed()) {
    restate_options.line_id = line_id;
    restate_options.request_id = request_id;
    outcome = run_restate(client, restate_options, output);
  } else if (correct->parsed()) {
    correct_options.line_id = line_id;
    correct_options.request_id = request_id;
    outcome = run_correct(client, correct_options, output);
  } else if (take->parsed()) {
    outcome = run_take(client, line_id, request_id, output);
  } else if (watch->parsed()) {
    outcome = run_watch(client, watch_options, output);
  } else if (stuck->parsed()) {
    if (older_than_option->count() > 0) stuck_options.older_than = older_than;
    outcome = run_stuck(client, stuck_options, output);
  } else if (summary->parsed()) {
    outcome = run_summary(client, summary_options, output);
  } else if (pool->parsed()) {
    outcome = run_pool(client, pool_options, output);
  } else if (reports->parsed()) {
    outcome = run_reports(client, reports_options, output);
  } else if (monthly->parsed()) {
    outcome = run_monthly_report(client, monthly_options, output);
  } else if (department_report->parsed()) {
    outcome = run_department_report(client, department_options, output);
  } else if (export_command->parsed()) {
    outcome = run_export(client, export_options, output);
  } else if (report_command->parsed()) {
    outcome = run_report(client, report_id, output);
  } else if (verify->parsed()) {
    outcome = run_verify(client, verify_line, output);
  } else if (rank->parsed()) {
    rank_options.request_id = request_id;
    outcome = run_rank(client, rank_options, output);
  } else if (monitor->parsed()) {
    monitor_options.request_id = request_id;
    outcome = run_monitor(client, monitor_options, output);
  } else if (propose_programme->parsed()) {
    programme_options.request_id = request_id;
    outcome = run_propose_programme(client, programme_options, output);
  } else if (admit_programme->parsed()) {
    programme_options.request_id = request_id;
    outcome = run_admit_programme(client, programme_options, output);
  } else if (retire_programme->parsed()) {
    programme_options.request_id = request_id;
    outcome = run_retire_programme(client, programme_options, output);
  } else if (show_programme->parsed()) {
    outcome = run_show_programme(client, programme_code, output);
  } else if (list_programmes->parsed()) {
    outcome = run_list_programmes(client, programmes_options, output);
  } else if (import_lines->parsed() || import_execution->parsed()) {
    import_options.request_id = request_id;
    outcome = import_lines->parsed() ? run_import_lines(client, import_options, output)
                                     : run_import_execution(client, import_options, output);
  }
  return outcome ? report(*outcome) : 0;
}

}  // namespace
}  // namespace zbb::cli

int main(int argc, char** argv) { return zbb::cli::run(argc, argv); }
