#pragma once

#include <string>
#include <vector>

namespace zbb::api {

// How zbbd is started: from flags or a config file (the same names, TOML or INI).
struct ServerOptions {
  std::string listen = "127.0.0.1:50051";
  std::string database = "zbb.db";
  std::vector<std::string> policies = {"workflows/zero_based_review.textproto"};
  std::string current_policy;  // empty: the only policy loaded
  std::string tokens;
  std::string tls_certificate;  // PEM; with tls_key, serve TLS instead of plaintext
  std::string tls_key;
  // The HTTP side (console, JSON calls, /metrics): host:port, empty for none. It shares the TLS
  // certificate above.
  std::string http_listen;
  std::string console_dir;                  // empty: share/zbb/console beside zbbd's directory
  std::string time_zone = "Asia/Shanghai";  // the bureau's, for the console's dates
  std::string log_format = "text";          // or "json": one object per line (log_format.h)
  // Start the server's clock at this instant ("2027-12-20T09:00:00Z") instead of now; it then
  // runs at real speed. For demonstrations and rehearsals: every event is stamped by it.
  std::string clock_start;
  // How often an idle Watch stream checks whether its client is gone (commits wake it at once).
  int watch_idle_ms = 500;
  // How often zbbd looks whether a checkpoint's monitoring round is due on its clock; 0 turns it
  // off.
  int scheduler_seconds = 60;
  // The longest the SLA timer sleeps between escalation rounds (it wakes earlier when a line
  // falls due); 0 turns escalation off.
  int escalation_seconds = 60;
  // How long in-flight calls get to finish after SIGINT/SIGTERM before they are cancelled.
  // Commands are durable before they are answered, so cancelling loses nothing acknowledged.
  int shutdown_grace_seconds = 5;
};

}  // namespace zbb::api
