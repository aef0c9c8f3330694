#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/store.h"

namespace zbb::testing {

// A store that lets another writer change the database just before the engine's first commit
// (of a command or of a group of them), or before each of them.
class ChangedBeforeCommit : public Store {
 public:
  enum class When { kFirstCommit, kEveryCommit };

  ChangedBeforeCommit(Store& inner, std::function<void()> change, When when = When::kFirstCommit)
      : inner_(inner), change_(std::move(change)), when_(when) {}

  std::vector<BatchAnswer> write_group(const std::vector<GroupEntry>& group) override {
    if (change_) {
      ++changes_;
      if (when_ == When::kFirstCommit)
        std::exchange(change_, nullptr)();
      else
        change_();
    }
    return inner_.write_group(group);
  }
  // How often the change ran: the commits the engine tried. Read once the engine answered.
  int changes() const { return changes_; }
  Result<StoredLine> load_line(const std::string& id) override { return inner_.load_line(id); }
  Result<std::int64_t> line_version(const std::string& id) override {
    return inner_.line_version(id);
  }
  Result<std::optional<StoredRequest>> find_request(const std::string& id) override {
    return inner_.find_request(id);
  }
  Result<std::vector<BudgetLine>> list_lines(const LineFilter& filter, const std::string& after,
                                             std::size_t limit) override {
    return inner_.list_lines(filter, after, limit);
  }
  Result<Fen> pool_balance(int year, const std::string& department) override {
    return inner_.pool_balance(year, department);
  }
  Result<Pool> pool(int year, const std::string& department, std::size_t limit) override {
    return inner_.pool(year, department, limit);
  }
  Result<Report> find_report(const std::string& id) override { return inner_.find_report(id); }
  Result<std::vector<ReportSummary>> list_reports(const ReportFilter& filter,
                                                  const std::optional<ReportCursor>& after,
                                                  std::size_t limit) override {
    return inner_.list_reports(filter, after, limit);
  }
  Result<std::vector<RecordedEvent>> line_history(const std::string& id) override {
    return inner_.line_history(id);
  }
  Result<std::vector<RecordedEvent>> events_after(std::int64_t after, std::size_t limit) override {
    return inner_.events_after(after, limit);
  }
  Result<std::vector<StuckLine>> find_stuck(const StuckQuery& query) override {
    return inner_.find_stuck(query);
  }
  Result<std::vector<std::pair<std::string, std::int64_t>>> count_stuck(Timestamp now) override {
    return inner_.count_stuck(now);
  }
  Result<std::optional<BudgetLine>> line_as_of(const std::string& line_id, Timestamp at) override {
    return inner_.line_as_of(line_id, at);
  }
  Result<std::vector<LineAsOf>> lines_as_of(Timestamp at, const LineFilter& filter,
                                            const std::string& after_id,
                                            std::size_t limit) override {
    return inner_.lines_as_of(at, filter, after_id, limit);
  }
  Result<std::vector<SummaryGroup>> summarize(const SummaryQuery& query) override {
    return inner_.summarize(query);
  }
  Result<std::vector<DueLine>> lines_due(Timestamp now, std::size_t limit) override {
    return inner_.lines_due(now, limit);
  }
  Result<std::optional<Timestamp>> next_due() override { return inner_.next_due(); }
  Result<StoredProgramme> load_programme(const std::string& code) override {
    return inner_.load_programme(code);
  }
  Result<std::vector<Programme>> list_programmes(const ProgrammeFilter& filter,
                                                 const std::string& after,
                                                 std::size_t limit) override {
    return inner_.list_programmes(filter, after, limit);
  }
  Result<std::vector<RecordedEvent>> programme_history(const std::string& code) override {
    return inner_.programme_history(code);
  }
  Result<std::vector<RecordedEvent>> programme_events_after(std::int64_t after,
                                                            std::size_t limit) override {
    return inner_.programme_events_after(after, limit);
  }
  Result<std::int64_t> library_revision(const std::string& department) override {
    return inner_.library_revision(department);
  }

 private:
  Store& inner_;
  std::function<void()> change_;
  const When when_;
  int changes_ = 0;
};

}  // namespace zbb::testing
