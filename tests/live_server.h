#pragma once

// One zbbd over a fresh database for an end-to-end test, and the steps tests take on it.

#include <memory>
#include <string>
#include <vector>

#include "tests/api_client.h"
#include "tests/county_fixture.h"
#include "tests/server_process.h"

namespace zbb::testing {

inline const std::string kSupervisor = "audit.supervisor.lin";

// The server's clock starts after fiscal year 2027, in its final-accounts period, so every step
// of the year (the Q2 checkpoint as of 30 June, spending, the self-evaluation opening on 15
// January) can be taken. Idle Watch
// streams wait long: a stream that follows commits must be woken by them, not by polling.
inline const std::vector<std::string> kServerArgs = {"--clock-start", "2028-01-20T09:00:00Z",
                                                     "--watch-idle-ms", "600000"};

// kServerArgs under the shipped policy as it is, the project library required.
std::vector<std::string> args_with_library();

struct LiveServer {
  // `args`: kServerArgs, or args_with_library().
  explicit LiveServer(std::vector<std::string> server_args = kServerArgs)
      : args(std::move(server_args)),
        server(std::make_unique<ServerProcess>(directory.path(), database, args)) {}
  // Over `shared_database` (a PostgreSQL URL several servers share) instead of a file of its own.
  LiveServer(std::string shared_database, std::vector<std::string> server_args)
      : database(std::move(shared_database)),
        args(std::move(server_args)),
        server(std::make_unique<ServerProcess>(directory.path(), database, args)) {}

  TemporaryDirectory directory;
  std::string database = directory.path() + "/zbb.db";
  std::vector<std::string> args;
  std::unique_ptr<ServerProcess> server;

  ApiClient as(const std::string& principal) const {
    return ApiClient(server->channel(), token_of(principal));
  }
  void restart() { server = std::make_unique<ServerProcess>(directory.path(), database, args); }
  // Restarts the server on the same database with its clock starting at `start` (an instant
  // "YYYY-MM-DDTHH:MM:SSZ"): after the final accounts close, lines with money unspent are closed.
  void restart_at(const std::string& start) {
    for (std::size_t i = 0; i + 1 < args.size(); ++i)
      if (args[i] == "--clock-start") args[i + 1] = start;
    restart();
  }
};

// A request id not used before in this test process.
std::string next_id(const std::string& prefix);

// Pushes one event as `principal`; REQUIREs success and returns the response.
zbb::v1::CommandResponse step(const LiveServer& live, const std::string& principal,
                              const std::string& line, const zbb::v1::LineEvent& event);

// Proposes (as one reviewer) and admits (as another) the programme `content`
// names, over gRPC; REQUIREs success. A server run with args_with_library() needs it before
// the programme's first line.
void admit_programme_of(const LiveServer& live, const zbb::v1::LineContent& content,
                        const std::string& title);

// A treasury payment of `amount` fen under a payment reference not used before.
zbb::v1::LineEvent spending(std::int64_t amount);
// The latest actual of an indicator.
zbb::v1::LineEvent progress(const std::string& indicator, double actual);

// Creates the road maintenance line (tests' usual request) under `line`; REQUIREs success.
void create_line(const LiveServer& live, const std::string& line,
                 const std::string& principal = actor::kTransportUnit);

// Records a prior assessment approving `line` when its latest submission needs one (the policy's
// prior_assessment): the road request, a line of a new programme above 1,000,000 yuan, does.
void assess_if_due(const LiveServer& live, const std::string& line);

// Takes a created line through target review and scores it `score` on every criterion: it then
// awaits ranking.
void score_line(const LiveServer& live, const std::string& line, int score);

// Takes a created line through review, funds it by hand at `amount` (the road request in full by
// default) and approves that at every level; the last approval's answer.
zbb::v1::CommandResponse approve_line(const LiveServer& live, const std::string& line,
                                      std::int64_t amount = 1'250'000'00);

}  // namespace zbb::testing
