// zbb-make-supervision-db: writes a large synthetic zbb database for the supervision benchmark,
// through SqlStore::commit in batches, as a server running all along would have left it:
// lines past due are already escalated, every line's audit chain verifies.
//
//   zbb-make-supervision-db --lines 1000000 --database var/bench/supervision.db
//                           --as-of 2027-09-01T09:00:00Z [--departments 200] [--seed 1]
//   zbb-make-supervision-db --check --lines 1000000 --database … --as-of …

#include <fmt/format.h>
#include <soci/soci.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "adapters/sql/sql_store.h"
#include "bench/supervision_reader.h"
#include "bench/synthetic_lines.h"
#include "engine/engine.h"
#include "engine/proto_codec.h"
#include "workflows/policy_loader.h"
#include "workflows/state_ids.h"

namespace zbb::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Options {
  std::int64_t lines = 0;
  std::string database;
  std::string as_of;
  int departments = 200;
  std::uint64_t seed = 1;
  std::int64_t batch = 1000;
  std::string policy = "workflows/zero_based_review.textproto";
  bool check = false;
};

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// "1,000,000"
std::string grouped(std::int64_t n) {
  std::string digits = std::to_string(n);
  for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3)
    digits.insert(static_cast<std::size_t>(at), ",");
  return digits;
}

// What was written, for the summary at the end (a few counters, never the lines).
struct Tally {
  std::int64_t events = 0;
  std::int64_t active = 0;
  std::int64_t escalated = 0;
  std::map<std::string, std::array<std::int64_t, 2>> states;  // lines, escalated
  std::map<int, std::int64_t> fiscal_years;
  std::vector<std::int64_t> stuck_by_department;

  void add(const SyntheticLine& generated, std::size_t department) {
    const BudgetLine& line = generated.line;
    events += static_cast<std::int64_t>(generated.events.size());
    auto& counts = states[line.state()];
    ++counts[0];
    ++fiscal_years[line.content().fiscal_year()];
    if (line.has_due_at()) ++active;
    if (line.sla_breached()) {
      ++counts[1];
      ++escalated;
      ++stuck_by_department[department];
    }
  }
};

int generate(const Options& options, Timestamp as_of) {
  if (fs::exists(options.database)) {
    fmt::print(stderr,
               "zbb-make-supervision-db: {} already exists; remove it first (or --check it)\n",
               options.database);
    return 2;
  }
  auto policy = review::load_policy_file(options.policy);
  if (!policy.ok()) {
    fmt::print(stderr, "zbb-make-supervision-db: {}\n", policy.status().message());
    return 2;
  }
  auto population = LinePopulation::create(
      *policy, {.as_of = as_of, .departments = options.departments, .seed = options.seed});
  if (!population.ok()) {
    fmt::print(stderr, "zbb-make-supervision-db: {}\n", population.status().to_string());
    return 2;
  }

  // Written under another name and renamed when complete: a database under the final name is
  // always a whole one, whatever interrupted an earlier run.
  const std::string partial = options.database + ".partial";
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(partial + suffix);
  if (const fs::path parent = fs::path(options.database).parent_path(); !parent.empty())
    fs::create_directories(parent);
  auto store = sql::SqlStore::open(partial);
  if (!store.ok()) {
    fmt::print(stderr, "zbb-make-supervision-db: {}\n", store.status().to_string());
    return 2;
  }

  fmt::print("generating {} lines of {} departments as of {} (seed {}, {} lines per commit)\n",
             grouped(options.lines), options.departments, format_timestamp(as_of), options.seed,
             options.batch);
  std::fflush(stdout);
  Tally tally;
  tally.stuck_by_department.assign(population->departments().size(), 0);
  std::map<std::string, std::size_t> department_index;
  for (std::size_t i = 0; i < population->departments().size(); ++i)
    department_index[population->departments()[i]] = i;

  const auto start = Clock::now();
  const std::int64_t report_every = std::max<std::int64_t>(options.lines / 20, options.batch);
  std::int64_t next_report = report_every;
  for (std::int64_t first = 0, number = 0; first < options.lines;
       first += options.batch, ++number) {
    const std::int64_t last = std::min(options.lines, first + options.batch);
    const std::string request_id = fmt::format("bench/seed-{}/batch-{:06d}", options.seed, number);
    CommitBatch batch;
    batch.request_id = request_key(Command{request_id, Principal{std::string(kActor), {}}, {}});
    batch.fingerprint = sha256_hex(
        fmt::format("zbb-make-supervision-db lines {}..{} seed {}", first, last, options.seed));
    batch.at = as_of;
    batch.lines.reserve(static_cast<std::size_t>(last - first));
    for (std::int64_t index = first; index < last; ++index) {
      SyntheticLine generated = population->line(index, request_id);
      tally.add(generated, department_index.at(generated.line.content().department()));
      std::string last_hash = generated.events.back().hash;
      std::string document = line_document(generated.line);
      batch.lines.push_back({std::make_shared<const BudgetLine>(std::move(generated.line)), 0,
                             std::move(last_hash), nullptr, std::move(document)});
      for (auto& event : generated.events) batch.events.push_back(std::move(event));
    }
    // Straight to the store, one batch a transaction: nothing else writes meanwhile.
    const auto answer =
        (*store)->write_group({{std::make_shared<const CommitBatch>(std::move(batch)), 0}});
    if (answer.front().verdict != BatchVerdict::kWritten) {
      fmt::print(stderr, "zbb-make-supervision-db: batch {}: {}\n", number,
                 answer.front().status.to_string());
      return 1;
    }
    if (last >= next_report || last == options.lines) {
      const double elapsed = seconds_since(start);
      fmt::print("  {:>11} lines ({:3.0f} %)  {:7.1f} s  {:>9} lines/s\n", grouped(last),
                 100.0 * static_cast<double>(last) / static_cast<double>(options.lines), elapsed,
                 grouped(static_cast<std::int64_t>(static_cast<double>(last) / elapsed)));
      std::fflush(stdout);
      next_report += report_every;
    }
  }
  store->reset();  // closes the database: SQLite checkpoints the WAL into the file
  const double elapsed = seconds_since(start);
  for (const char* suffix : {"", "-wal", "-shm"}) {
    if (fs::exists(partial + suffix)) fs::rename(partial + suffix, options.database + suffix);
  }

  fmt::print("wrote {} lines and {} events to {} in {:.1f} s ({} lines/s); file {:.2f} GB\n",
             grouped(options.lines), grouped(tally.events), options.database, elapsed,
             grouped(static_cast<std::int64_t>(static_cast<double>(options.lines) / elapsed)),
             static_cast<double>(fs::file_size(options.database)) / 1e9);
  fmt::print(
      "active lines {} ({:.1f} %); past due at the as-of instant and escalated: {} "
      "({:.2f} % of active lines)\n",
      grouped(tally.active),
      100.0 * static_cast<double>(tally.active) / static_cast<double>(options.lines),
      grouped(tally.escalated),
      tally.active == 0
          ? 0.0
          : 100.0 * static_cast<double>(tally.escalated) / static_cast<double>(tally.active));
  fmt::print("by fiscal year:");
  for (const auto& [year, count] : tally.fiscal_years) fmt::print("  {}: {}", year, grouped(count));
  fmt::print("\n{:<38} {:>10} {:>10}\n", "state", "lines", "escalated");
  for (const auto& [state, counts] : tally.states)
    fmt::print("{:<38} {:>10} {:>10}\n", state, grouped(counts[0]), grouped(counts[1]));
  std::vector<std::size_t> order(tally.stuck_by_department.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return tally.stuck_by_department[a] > tally.stuck_by_department[b];
  });
  fmt::print("departments with the most stuck lines:");
  for (std::size_t i = 0; i < std::min<std::size_t>(3, order.size()); ++i)
    fmt::print("  {} ({})", population->departments()[order[i]],
               grouped(tally.stuck_by_department[order[i]]));
  fmt::print("\n");
  return 0;
}

// Whether the database at the path is a complete one of the size asked for, with nothing left
// to escalate at the as-of instant.
int check(const Options& options, Timestamp as_of) {
  if (!fs::exists(options.database)) {
    fmt::print("{}: missing\n", options.database);
    return 1;
  }
  try {
    SupervisionReader reader(options.database);
    const long long lines = reader.count_lines();
    const long long unescalated = reader.count_due_unescalated(as_of);
    fmt::print("{}: {} lines ({} asked for), {} past due at {} and not escalated\n",
               options.database, grouped(lines), grouped(options.lines), grouped(unescalated),
               format_timestamp(as_of));
    return lines == options.lines && unescalated == 0 ? 0 : 1;
  } catch (const soci::soci_error& error) {
    fmt::print("{}: {}\n", options.database, error.what());
    return 1;
  }
}

}  // namespace
}  // namespace zbb::bench

int main(int argc, char** argv) {
  zbb::bench::Options options;
  CLI::App app{
      "zbb-make-supervision-db: a synthetic zbb database for the supervision benchmark "
      "(lines past due already escalated; every audit chain verifies)."};
  app.add_option("--lines", options.lines, "number of budget lines")
      ->required()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{100'000'000}));
  app.add_option("--database", options.database, "SQLite file to create (must not exist)")
      ->required();
  app.add_option("--as-of", options.as_of,
                 "the instant the data describes, YYYY-MM-DDTHH:MM:SSZ (1 July – 30 November)")
      ->required();
  app.add_option("--departments", options.departments, "number of departments")
      ->capture_default_str();
  app.add_option("--seed", options.seed, "the data set: the same seed, the same lines")
      ->capture_default_str();
  app.add_option("--batch", options.batch, "lines per commit")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{10000}))
      ->capture_default_str();
  app.add_option("--policy", options.policy, "workflow policy file (due times, approval chain)")
      ->capture_default_str();
  app.add_flag("--check", options.check,
               "only check that DATABASE holds --lines lines with nothing left to escalate at "
               "--as-of (exit 0) or not (exit 1)");
  CLI11_PARSE(app, argc, argv);

  const auto as_of = zbb::parse_timestamp(options.as_of);
  if (!as_of) {
    fmt::print(stderr, "zbb-make-supervision-db: --as-of {}: not YYYY-MM-DDTHH:MM:SSZ\n",
               options.as_of);
    return 2;
  }
  if (options.check) return zbb::bench::check(options, *as_of);
  return zbb::bench::generate(options, *as_of);
}
