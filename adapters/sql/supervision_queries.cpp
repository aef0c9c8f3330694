#include "adapters/sql/supervision_queries.h"

#include <soci/soci.h>

#include <algorithm>
#include <limits>

namespace zbb::sql {
namespace {

long long as_limit(std::size_t limit) {
  return static_cast<long long>(
      std::min<std::size_t>(limit, std::numeric_limits<long long>::max()));
}

// The column a summary groups by (the same name in `lines` and `line_totals`).
const char* group_column(SummaryGrouping grouping) {
  switch (grouping) {
    case SummaryGrouping::kState:
      return "state";
    case SummaryGrouping::kDepartment:
      return "department";
    case SummaryGrouping::kWaitingOn:
      return "waiting_on";
    case SummaryGrouping::kWarningLevel:
      return "warning";
  }
  return "state";
}

// " AND fiscal_year = :fiscal_year …" for the criteria set; the same names are bound below.
std::string filter_terms(const std::optional<int>& fiscal_year, const std::string& department,
                         const std::string& state = {}, const std::string& waiting_on = {}) {
  std::string sql;
  if (fiscal_year) sql += " AND fiscal_year = :fiscal_year";
  if (!department.empty()) sql += " AND department = :department";
  if (!state.empty()) sql += " AND state = :state";
  if (!waiting_on.empty()) sql += " AND waiting_on = :waiting_on";
  return sql;
}

// Binds the criteria filter_terms() named; the values must outlive the statement.
void bind_filters(soci::details::prepare_temp_type& statement,
                  const std::optional<int>& fiscal_year, const std::string& department,
                  const std::string& state = {}, const std::string& waiting_on = {}) {
  if (fiscal_year) statement, soci::use(*fiscal_year, "fiscal_year");
  if (!department.empty()) statement, soci::use(department, "department");
  if (!state.empty()) statement, soci::use(state, "state");
  if (!waiting_on.empty()) statement, soci::use(waiting_on, "waiting_on");
}

// Ordered by the due time for stuck lines, by the time the state was entered for an age query.
const char* stuck_key(const StuckQuery& query) {
  return query.min_age ? "state_entered_ms" : "due_ms";
}

}  // namespace

std::string find_stuck_sql(const StuckQuery& query) {
  const std::string key = stuck_key(query);
  std::string sql =
      "SELECT id, fiscal_year, department, state, waiting_on, state_entered_ms, due_ms, "
      "requested_amount, approved_amount, sla_breached FROM lines WHERE " +
      key + " <= :cutoff AND due_ms IS NOT NULL";
  sql += filter_terms(query.fiscal_year, query.department, query.state, query.waiting_on);
  if (query.after) sql += " AND (" + key + ", id) > (:after_key, :after_id)";
  sql += " ORDER BY " + key + ", id LIMIT :limit";
  return sql;
}

std::string summary_totals_sql(const SummaryQuery& query) {
  const std::string column = group_column(query.group_by);
  return "SELECT " + column +
         ", SUM(lines), SUM(escalated), SUM(requested), SUM(approved), SUM(spent) "
         "FROM line_totals WHERE 1 = 1" +
         filter_terms(query.fiscal_year, query.department) + " GROUP BY " + column +
         " HAVING SUM(lines) > 0 ORDER BY " + column;
}

std::string summary_oldest_sql(const SummaryQuery& query) {
  return std::string("SELECT id, state, state_entered_ms, due_ms FROM lines WHERE ") +
         group_column(query.group_by) + " = :group_key AND due_ms IS NOT NULL" +
         filter_terms(query.fiscal_year, query.department) +
         " ORDER BY state_entered_ms, id LIMIT 1";
}

// Counted from the same index find_stuck pages through, for /metrics.
std::string count_stuck_sql() {
  return "SELECT state, COUNT(*) FROM lines WHERE due_ms <= :now AND due_ms IS NOT NULL "
         "GROUP BY state ORDER BY state";
}

std::vector<std::pair<std::string, std::int64_t>> count_stuck(soci::session& session,
                                                              Timestamp now) {
  long long now_ms = to_millis(now);
  std::string state;
  long long lines = 0;
  soci::statement statement = (session.prepare << count_stuck_sql(), soci::into(state),
                               soci::into(lines), soci::use(now_ms, "now"));
  std::vector<std::pair<std::string, std::int64_t>> counts;
  statement.execute();
  while (statement.fetch()) counts.emplace_back(state, lines);
  return counts;
}

std::string lines_due_sql() {
  return "SELECT id, version, state, due_ms FROM lines "
         "WHERE due_ms <= :now AND due_ms IS NOT NULL AND sla_breached = 0 "
         "ORDER BY due_ms LIMIT :limit";
}

std::string next_due_sql() {
  return "SELECT due_ms FROM lines WHERE due_ms IS NOT NULL AND sla_breached = 0 "
         "ORDER BY due_ms LIMIT 1";
}

std::vector<StuckLine> find_stuck(soci::session& session, const StuckQuery& query) {
  if (query.limit == 0) return {};
  long long cutoff = to_millis(query.now);
  if (query.min_age) cutoff -= query.min_age->count();
  long long after_key = query.after ? query.after->key_ms : 0;
  std::string after_id = query.after ? query.after->line_id : "";
  long long limit = as_limit(query.limit);

  StuckLine row;
  long long entered_ms = 0;
  long long due_ms = 0;
  long long requested = 0;
  long long approved = 0;
  int breached = 0;
  soci::details::prepare_temp_type prepared = (session.prepare << find_stuck_sql(query));
  prepared, soci::into(row.line_id), soci::into(row.fiscal_year), soci::into(row.department),
      soci::into(row.state), soci::into(row.waiting_on), soci::into(entered_ms), soci::into(due_ms),
      soci::into(requested), soci::into(approved), soci::into(breached);
  prepared, soci::use(cutoff, "cutoff");
  bind_filters(prepared, query.fiscal_year, query.department, query.state, query.waiting_on);
  if (query.after) prepared, soci::use(after_key, "after_key"), soci::use(after_id, "after_id");
  prepared, soci::use(limit, "limit");
  soci::statement statement(prepared);

  std::vector<StuckLine> lines;
  statement.execute();
  while (statement.fetch()) {
    row.state_entered_at = from_millis(entered_ms);
    row.due_at = from_millis(due_ms);
    row.requested_amount = requested;
    row.approved_amount = approved;
    row.escalated = breached != 0;
    lines.push_back(row);
  }
  return lines;
}

std::vector<SummaryGroup> summarize(soci::session& session, const SummaryQuery& query) {
  std::vector<SummaryGroup> groups;
  {
    SummaryGroup group;
    long long lines = 0;
    long long escalated = 0;
    long long requested = 0;
    long long approved = 0;
    long long spent = 0;
    soci::details::prepare_temp_type prepared = (session.prepare << summary_totals_sql(query));
    prepared, soci::into(group.key), soci::into(lines), soci::into(escalated),
        soci::into(requested), soci::into(approved), soci::into(spent);
    bind_filters(prepared, query.fiscal_year, query.department);
    soci::statement totals(prepared);
    totals.execute();
    while (totals.fetch()) {
      group.lines = lines;
      group.escalated = escalated;
      group.requested = requested;
      group.approved = approved;
      group.spent = spent;
      groups.push_back(group);
    }
  }

  // One indexed lookup per group: the line of the group that entered its state first.
  std::string group_key;
  OldestItem oldest;
  long long entered_ms = 0;
  long long due_ms = 0;
  soci::details::prepare_temp_type prepared = (session.prepare << summary_oldest_sql(query));
  prepared, soci::into(oldest.line_id), soci::into(oldest.state), soci::into(entered_ms),
      soci::into(due_ms), soci::use(group_key, "group_key");
  bind_filters(prepared, query.fiscal_year, query.department);
  soci::statement oldest_of_group(prepared);
  for (SummaryGroup& group : groups) {
    group_key = group.key;
    if (!oldest_of_group.execute(true)) continue;
    oldest.state_entered_at = from_millis(entered_ms);
    oldest.due_at = from_millis(due_ms);
    group.oldest = oldest;
  }
  return groups;
}

std::vector<DueLine> lines_due(soci::session& session, Timestamp now, std::size_t limit) {
  long long now_ms = to_millis(now);
  long long max_rows = as_limit(limit);
  DueLine row;
  long long version = 0;
  long long due_ms = 0;
  soci::statement statement = (session.prepare << lines_due_sql(), soci::into(row.line_id),
                               soci::into(version), soci::into(row.state), soci::into(due_ms),
                               soci::use(now_ms, "now"), soci::use(max_rows, "limit"));
  std::vector<DueLine> lines;
  statement.execute();
  while (statement.fetch()) {
    row.version = version;
    row.due_at = from_millis(due_ms);
    lines.push_back(row);
  }
  return lines;
}

std::optional<Timestamp> next_due(soci::session& session) {
  long long due_ms = 0;
  soci::indicator found = soci::i_null;
  session << next_due_sql(), soci::into(due_ms, found);
  if (!session.got_data() || found != soci::i_ok) return std::nullopt;
  return from_millis(due_ms);
}

}  // namespace zbb::sql
