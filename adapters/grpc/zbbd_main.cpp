// zbbd: the zbb server. Wires the zero-based review workflow to the SQLite store and serves
// zbb.v1.Workflow, zbb.v1.Query, grpc.health.v1.Health and server reflection.

#include <absl/synchronization/mutex.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "adapters/grpc/commit_notifier.h"
#include "adapters/grpc/escalation_timer.h"
#include "adapters/grpc/grpc_status.h"
#include "adapters/grpc/health_service.h"
#include "adapters/grpc/log_format.h"
#include "adapters/grpc/query_service.h"
#include "adapters/grpc/server_options.h"
#include "adapters/grpc/token_authenticator.h"
#include "adapters/grpc/watch_stream.h"
#include "adapters/grpc/workflow_service.h"
#include "adapters/http/http_server.h"
#include "adapters/http/json_gateway.h"
#include "adapters/metrics/live_gauges.h"
#include "adapters/metrics/server_metrics.h"
#include "adapters/sql/postgresql_leadership.h"
#include "adapters/sql/sql_store.h"
#include "engine/config_file.h"
#include "engine/engine.h"
#include "parsing/checked_request_parsing.h"
#include "workflows/legacy_reports.h"
#include "workflows/monitoring_run.h"
#include "workflows/zero_based_review.h"

namespace zbb::api {
namespace {

// Threads the gRPC server keeps waiting for calls between bursts: as many as the clients that
// call at once on a busy day (zbb-bench drives 16).
constexpr int kIdleThreads = 32;

Result<std::shared_ptr<grpc::ServerCredentials>> credentials(const ServerOptions& options) {
  if (options.tls_certificate.empty() && options.tls_key.empty())
    return grpc::InsecureServerCredentials();
  if (options.tls_certificate.empty() || options.tls_key.empty())
    return Status::InvalidArgument("--tls-cert/--tls-key", "give both or neither");
  auto certificate = read_config_file(options.tls_certificate, "certificate file");
  if (!certificate.ok()) return certificate.status();
  auto key = read_config_file(options.tls_key, "key file");
  if (!key.ok()) return key.status();
  grpc::SslServerCredentialsOptions ssl;
  ssl.pem_key_cert_pairs.push_back({*key, *certificate});
  return grpc::SslServerCredentials(ssl);
}

// "127.0.0.1:0" with the port the system chose → "127.0.0.1:41234".
std::string bound_address(const std::string& listen, int port) {
  return listen.substr(0, listen.rfind(':')) + ":" + std::to_string(port);
}

// Runs each checkpoint's monitoring round when it falls due on the server's clock, looking every
// `seconds` (0: never) on a thread of its own until stopped.
class ScheduledRounds {
 public:
  ScheduledRounds(Engine& engine, const review::PolicySet& policies, const Clock& clock,
                  int seconds, TimerLeadership& leadership)
      : scheduler_(engine, policies, clock), leadership_(leadership), period_(seconds) {
    if (seconds > 0) thread_ = std::thread([this] { run(); });
  }
  ~ScheduledRounds() { stop(); }

  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      // Of several servers on one database, the timers' leader alone runs the rounds.
      if (leadership_.leads()) {
        auto ran = scheduler_.tick();
        if (!ran.ok())
          spdlog::error("monitoring round: {}", ran.status().to_string());
        else if (ran->has_value())
          spdlog::info("monitoring round {} judged {} lines", (*ran)->report_id(),
                       (*ran)->lines_size());
      }
      lock.lock();
      wake_.wait_for(lock, period_, [this] { return stopping_; });
    }
  }

  review::MonitoringScheduler scheduler_;
  TimerLeadership& leadership_;
  const std::chrono::seconds period_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

// The console's files: as given, else installed beside zbbd (bin/../share/zbb/console), else
// the build tree's copy.
std::string console_dir(const ServerOptions& options) {
  if (!options.console_dir.empty()) return options.console_dir;
  std::error_code error;
  const auto executable = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) {
    const auto installed = executable.parent_path().parent_path() / "share" / "zbb" / "console";
    if (std::filesystem::is_directory(installed, error)) return installed.string();
  }
  return ZBB_BUILD_CONSOLE_DIR;
}

// Forgets the request observer when serve() ends, however it ends.
struct ObserverReset {
  ObserverReset() = default;
  ObserverReset(const ObserverReset&) = delete;
  ObserverReset& operator=(const ObserverReset&) = delete;
  ~ObserverReset() { set_request_observer(nullptr); }
};

// An IANA time zone name as the console's browsers take it ("Asia/Shanghai", "UTC").
bool time_zone_name(const std::string& name) {
  return !name.empty() && name.size() <= 64 && name.find("..") == std::string::npos &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '+' ||
                  c == '-';
         });
}

int serve(const ServerOptions& options) {
  auto policies = review::load_policy_files(options.policies, options.current_policy);
  if (!policies.ok()) {
    spdlog::critical("policy: {}", policies.status().message());
    return 2;
  }
  if (!time_zone_name(options.time_zone)) {
    spdlog::critical("--time-zone {}: not a time zone name such as Asia/Shanghai",
                     options.time_zone);
    return 2;
  }
  auto tokens = TokenAuthenticator::load_file(options.tokens);
  if (!tokens.ok()) {
    spdlog::critical("tokens: {}", tokens.status().message());
    return 2;
  }
  auto creds = credentials(options);
  if (!creds.ok()) {
    spdlog::critical("tls: {}", creds.status().to_string());
    return 2;
  }
  // A database of an older zbb is upgraded on open; its reports are the review's to convert.
  auto store = sql::SqlStore::open(options.database, review::report_body_from_v7_json);
  if (!store.ok()) {
    spdlog::critical("database {}: {}", sql::SqlStore::printable(options.database),
                     store.status().to_string());
    return 2;
  }

  std::unique_ptr<Clock> clock = std::make_unique<SystemClock>();
  if (!options.clock_start.empty()) {
    const auto start = parse_timestamp(options.clock_start);
    if (!start) {
      spdlog::critical("--clock-start {}: not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ",
                       options.clock_start);
      return 2;
    }
    clock = std::make_unique<ShiftedClock>(*start);
    spdlog::warn("the clock starts at {}, not now", format_timestamp(*start));
  }
  review::ZeroBasedReview workflow(std::move(policies).value());
  // Before the engine, which tells it of every group it commits until the engine is gone.
  metrics::ServerMetrics server_metrics;
  set_request_observer([&server_metrics](std::string_view method, grpc::StatusCode code,
                                         std::chrono::nanoseconds took) {
    try {
      server_metrics.request_finished(method, wire::status_code_name(code), took);
    } catch (...) {
      // A request not counted is no reason to fail its answer.
    }
  });
  // Whatever way serve() ends, no request is told to the metrics once they are gone.
  const ObserverReset observer_reset;
  // Before the engine, which tells it of commits until the engine is gone.
  CommitNotifier commits(std::chrono::milliseconds(options.watch_idle_ms));
  Engine engine(**store, workflow, *clock);
  engine.set_commit_listener(&commits);
  engine.set_group_observer(&server_metrics);
  WorkflowService workflow_service(engine, **store, *tokens, workflow.policies());
  QueryService query_service(**store, *tokens, commits, *clock, workflow.policies());

  HealthService health(std::chrono::milliseconds(options.watch_idle_ms));
  // A request that does not parse never reaches a handler and its RequestLog: logged here.
  set_parse_failure_log([](std::string_view request_type, const grpc::Status& refusal) {
    spdlog::warn("{} did not parse → INVALID_ARGUMENT {}", request_type, refusal.error_message());
  });
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen, *creds, &port);
  // gRPC sets SO_REUSEPORT by default: a second zbbd could then listen on the same port and
  // take half the new connections to another database. One port, one server.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // gRPC's synchronous server lets a thread go once more than MAX_POLLERS (2 by default) wait
  // for calls, and starts one again when calls come: under steady load from many clients it
  // started and ended a thread for about every second call. Threads kept waiting cost a stack.
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, kIdleThreads);
  builder.RegisterService(&workflow_service);
  builder.RegisterService(&query_service);
  builder.RegisterService(&health);
  // The whole server ("") and each service by its own name: serving from the first call.
  for (const char* service :
       {"", zbb::v1::Workflow::service_full_name(), zbb::v1::Query::service_full_name()})
    health.set_serving(service, true);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    spdlog::critical("cannot listen on {}: the address is in use or cannot be bound",
                     options.listen);
    return 2;
  }
  const std::string address = bound_address(options.listen, port);
  // One server of several on a PostgreSQL database runs the timers; a server alone always does.
  std::unique_ptr<TimerLeadership> leadership;
  if (sql::SqlStore::names_postgresql(options.database))
    leadership = std::make_unique<sql::PostgresqlLeadership>(options.database);
  else
    leadership = std::make_unique<SoleServer>();
  ScheduledRounds rounds(engine, workflow.policies(), *clock, options.scheduler_seconds,
                         *leadership);
  EscalationTimer escalations(engine, *clock, std::chrono::seconds(options.escalation_seconds),
                              *leadership);
  // The HTTP side calls the services above through a channel inside this process: the same
  // handlers, checks and log lines as any gRPC client.
  std::unique_ptr<http::JsonGateway> gateway;
  std::unique_ptr<http::HttpServer> http_server;
  if (!options.http_listen.empty()) {
    // A listing of 500 lines can pass gRPC's default limit of 4 MB on what a client receives.
    grpc::ChannelArguments unlimited;
    unlimited.SetMaxReceiveMessageSize(-1);
    gateway = std::make_unique<http::JsonGateway>(server->InProcessChannel(unlimited));
    http::HttpServer::Metrics metrics_page{
        // Prometheus scrapes with a bearer token of its own (a principal with role supervisor).
        [&tokens](std::string_view authorization) {
          auto principal = (*tokens).authenticate(authorization);
          if (!principal.ok()) return principal.status();
          return principal->has_role("supervisor")
                     ? Status::Ok()
                     : Status::PermissionDenied(principal->name +
                                                " may not read /metrics: needs role supervisor");
        },
        [&] {
          return server_metrics.text(metrics::read_live_gauges(
              {**store, *clock, [&engine] { return engine.commit_queue_depth(); },
               [&escalations] { return escalations.escalated(); },
               [] { return WatchStream::open_streams(); }}));
        }};
    auto started =
        http::HttpServer::start({options.http_listen, console_dir(options), options.time_zone,
                                 options.tls_certificate, options.tls_key},
                                *gateway, std::move(metrics_page));
    if (!started.ok()) {
      spdlog::critical("http: {}", started.status().to_string());
      rounds.stop();
      escalations.stop();
      server->Shutdown();
      return 2;
    }
    http_server = std::move(started).value();
    std::cout << "zbbd console on " << (http_server->tls() ? "https" : "http") << "://"
              << http_server->address() << "/" << std::endl;
  }
  spdlog::info("serving {} (policy {}, database {})", address,
               workflow.policies().current_version(), sql::SqlStore::printable(options.database));
  std::cout << "zbbd listening on " << address << std::endl;

  // SIGINT and SIGTERM are blocked in every thread (see main) and taken here.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  spdlog::info("signal {}: shutting down", signal_number);
  // Every health status NOT_SERVING, and Health/Watch streams ended now, as zbb's own Watch
  // streams are: neither is an in-flight call worth the grace below.
  health.stop();
  // No new HTTP request; those in flight are calls of the server below, which its shutdown
  // answers or cancels within the grace.
  if (http_server) http_server->stop_accepting();
  rounds.stop();
  escalations.stop();
  commits.stop();
  server->Shutdown(std::chrono::system_clock::now() +
                   std::chrono::seconds(options.shutdown_grace_seconds));
  server->Wait();
  if (http_server) http_server->wait();
  spdlog::info("stopped");
  return 0;
}

}  // namespace
}  // namespace zbb::api

int main(int argc, char** argv) {
  // Blocked before any thread starts, so every thread inherits the mask and serve() alone
  // receives the signals through sigwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  // Debian builds Abseil with its debugging checks, and gRPC locks its absl::Mutex on every
  // call: the deadlock detector would record each lock in a graph of lock order, a few per
  // cent of zbbd's CPU under load. Before any thread starts, so no mutex is locked yet.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  zbb::api::configure_logs(zbb::api::LogFormat::kText);

  zbb::api::ServerOptions options;
  CLI::App app{"zbbd: the zbb zero-based budgeting server (gRPC)."};
  app.set_config("--config", "", "read options from a TOML or INI file");
  app.add_option("--listen", options.listen, "address to serve, host:port (port 0: any free)")
      ->capture_default_str();
  app.add_option("--database", options.database,
                 "SQLite database file, or a PostgreSQL URL (postgresql://user@host:port/db) "
                 "or libpq connection string")
      ->capture_default_str();
  app.add_option("--policy", options.policies, "workflow policy file(s), protobuf text format")
      ->capture_default_str();
  app.add_option("--current-policy", options.current_policy,
                 "policy version new lines are created under (when several are loaded)");
  app.add_option("--tokens", options.tokens, "token file (JSON): bearer tokens → principals")
      ->required();
  app.add_option("--tls-cert", options.tls_certificate, "TLS certificate chain (PEM)");
  app.add_option("--tls-key", options.tls_key, "TLS private key (PEM)");
  app.add_option("--http-listen", options.http_listen,
                 "serve the console, JSON calls and /metrics on this host:port (default: off)");
  app.add_option("--console-dir", options.console_dir,
                 "the console's files (default: share/zbb/console beside zbbd)");
  app.add_option("--time-zone", options.time_zone,
                 "the bureau's time zone, for the console's dates (IANA name)")
      ->capture_default_str();
  app.add_option("--log-format", options.log_format,
                 "text, or json: one JSON object per line (a request's fields, or a message)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  app.add_option("--clock-start", options.clock_start,
                 "start the server's clock at this instant (YYYY-MM-DD[THH:MM:SSZ]), for demos");
  app.add_option("--scheduler-seconds", options.scheduler_seconds,
                 "how often to look whether a checkpoint's monitoring round is due (0: never)")
      ->check(CLI::Range(0, 86400))
      ->capture_default_str();
  app.add_option("--escalation-seconds", options.escalation_seconds,
                 "longest wait between SLA escalation rounds; earlier when a line falls due "
                 "(0: no escalation)")
      ->check(CLI::Range(0, 86400))
      ->capture_default_str();
  app.add_option("--watch-idle-ms", options.watch_idle_ms,
                 "how often an idle Watch stream looks again: zbb's at the event log (for "
                 "commits of another server sharing the database), Health's for a departed client")
      ->check(CLI::Range(10, 600000))
      ->capture_default_str();
  app.add_option("--shutdown-grace-seconds", options.shutdown_grace_seconds,
                 "how long calls in flight get to finish after SIGINT/SIGTERM")
      ->check(CLI::Range(0, 3600))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  if (options.log_format == "json") zbb::api::configure_logs(zbb::api::LogFormat::kJson);
  return zbb::api::serve(options);
}
