#include "bench/supervision_reader.h"

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <cctype>
#include <map>
#include <variant>

#include "adapters/sql/supervision_queries.h"

namespace zbb::bench {
namespace {

// A named parameter of a statement and its value, bound only where the SQL names it (SOCI
// refuses a name the statement does not have).
struct Parameter {
  std::string name;
  std::variant<long long, std::string> value;
};

bool names(const std::string& sql, const std::string& name) {
  const std::string placeholder = ":" + name;
  for (auto at = sql.find(placeholder); at != std::string::npos;
       at = sql.find(placeholder, at + 1)) {
    const std::size_t end = at + placeholder.size();
    if (end == sql.size() ||
        !(std::isalnum(static_cast<unsigned char>(sql[end])) || sql[end] == '_'))
      return true;
  }
  return false;
}

std::vector<PlanStep> explain(soci::session& session, const std::string& sql,
                              std::vector<Parameter>& parameters) {
  int id = 0;
  int parent = 0;
  int unused = 0;
  std::string detail;
  soci::statement statement(session);
  statement.exchange(soci::into(id));
  statement.exchange(soci::into(parent));
  statement.exchange(soci::into(unused));
  statement.exchange(soci::into(detail));
  for (Parameter& parameter : parameters) {
    if (!names(sql, parameter.name)) continue;
    std::visit([&](auto& value) { statement.exchange(soci::use(value, parameter.name)); },
               parameter.value);
  }
  statement.alloc();
  statement.prepare("EXPLAIN QUERY PLAN " + sql);
  statement.define_and_bind();

  std::vector<PlanStep> steps;
  std::map<int, int> depth_of;
  if (statement.execute(true)) {
    do {
      const int depth = parent == 0 ? 0 : depth_of[parent] + 1;
      depth_of[id] = depth;
      steps.push_back({depth, detail});
    } while (statement.fetch());
  }
  return steps;
}

// The criteria as supervision_queries.cpp binds them.
std::vector<Parameter> filters(const std::optional<int>& fiscal_year, const std::string& department,
                               const std::string& state = {}, const std::string& waiting_on = {}) {
  std::vector<Parameter> parameters;
  if (fiscal_year) parameters.push_back({"fiscal_year", static_cast<long long>(*fiscal_year)});
  parameters.push_back({"department", department});
  parameters.push_back({"state", state});
  parameters.push_back({"waiting_on", waiting_on});
  return parameters;
}

}  // namespace

SupervisionReader::SupervisionReader(const std::string& path)
    : session_(std::make_unique<soci::session>(soci::sqlite3, "db=" + path + " readonly=1")) {}

SupervisionReader::~SupervisionReader() = default;

std::vector<PlanStep> SupervisionReader::plan_find_stuck(const StuckQuery& query) {
  long long cutoff = to_millis(query.now);
  if (query.min_age) cutoff -= query.min_age->count();
  std::vector<Parameter> parameters =
      filters(query.fiscal_year, query.department, query.state, query.waiting_on);
  parameters.push_back({"cutoff", cutoff});
  parameters.push_back({"limit", static_cast<long long>(query.limit)});
  if (query.after) {
    parameters.push_back({"after_key", static_cast<long long>(query.after->key_ms)});
    parameters.push_back({"after_id", query.after->line_id});
  }
  return explain(*session_, sql::find_stuck_sql(query), parameters);
}

std::vector<PlanStep> SupervisionReader::plan_summary_totals(const SummaryQuery& query) {
  std::vector<Parameter> parameters = filters(query.fiscal_year, query.department);
  return explain(*session_, sql::summary_totals_sql(query), parameters);
}

std::vector<PlanStep> SupervisionReader::plan_summary_oldest(const SummaryQuery& query,
                                                             const std::string& group_key) {
  std::vector<Parameter> parameters = filters(query.fiscal_year, query.department);
  parameters.push_back({"group_key", group_key});
  return explain(*session_, sql::summary_oldest_sql(query), parameters);
}

std::vector<PlanStep> SupervisionReader::plan_lines_due(Timestamp now, std::size_t limit) {
  std::vector<Parameter> parameters = {{"now", static_cast<long long>(to_millis(now))},
                                       {"limit", static_cast<long long>(limit)}};
  return explain(*session_, sql::lines_due_sql(), parameters);
}

std::vector<PlanStep> SupervisionReader::plan_next_due() {
  std::vector<Parameter> parameters;
  return explain(*session_, sql::next_due_sql(), parameters);
}

std::vector<StuckLine> SupervisionReader::find_stuck(const StuckQuery& query) {
  return sql::find_stuck(*session_, query);
}

std::vector<SummaryGroup> SupervisionReader::summarize(const SummaryQuery& query) {
  return sql::summarize(*session_, query);
}

std::pair<std::string, long long> SupervisionReader::department_with_most_stuck(Timestamp now) {
  long long now_ms = to_millis(now);
  std::string department;
  long long stuck = 0;
  soci::indicator found = soci::i_null;
  *session_ << "SELECT department, COUNT(*) FROM lines WHERE due_ms <= :now AND due_ms IS NOT "
               "NULL GROUP BY department ORDER BY 2 DESC, 1 LIMIT 1",
      soci::use(now_ms, "now"), soci::into(department, found), soci::into(stuck);
  if (!session_->got_data() || found != soci::i_ok) return {"", 0};
  return {department, stuck};
}

long long SupervisionReader::count_lines() {
  long long count = 0;
  *session_ << "SELECT COUNT(*) FROM lines", soci::into(count);
  return count;
}

long long SupervisionReader::count_line_totals() {
  long long count = 0;
  *session_ << "SELECT COUNT(*) FROM line_totals", soci::into(count);
  return count;
}

long long SupervisionReader::count_due_unescalated(Timestamp now) {
  long long now_ms = to_millis(now);
  long long count = 0;
  *session_ << "SELECT COUNT(*) FROM lines WHERE due_ms <= :now AND due_ms IS NOT NULL "
               "AND sla_breached = 0",
      soci::use(now_ms, "now"), soci::into(count);
  return count;
}

}  // namespace zbb::bench
