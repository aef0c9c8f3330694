#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "adapters/http/json_gateway.h"
#include "engine/status.h"

namespace httplib {
class Server;
}

namespace zbb::http {

struct HttpOptions {
  std::string listen;           // host:port; port 0 takes any free port
  std::string console_dir;      // the console's HTML, CSS and JavaScript
  std::string time_zone;        // the bureau's, for the console's dates ("Asia/Shanghai")
  std::string tls_certificate;  // PEM files: with both, HTTPS instead of HTTP
  std::string tls_key;
};

// zbbd's HTTP side (cpp-httplib), on an address of its own:
//   POST /api/<service>/<method>  zbb.v1's unary calls in JSON (JsonGateway);
//   GET  /metrics                 Prometheus text, from `metrics`, for a token it authorizes;
//   GET  /console.json            what the console needs before sign-in (the time zone);
//   GET  /…                       the console's files.
// Tokens travel only in the Authorization header, never in a cookie, so no page of another
// site can make a browser send a request that authenticates; answers forbid framing and other
// origins' scripts.
class HttpServer {
 public:
  // What /metrics answers: whether a request's Authorization header may read it, and the text.
  struct Metrics {
    std::function<Status(std::string_view authorization)> authorize;
    std::function<std::string()> text;
  };

  // Listening once it returns; INVALID_ARGUMENT for an address that cannot be bound, a
  // console directory that is not one, or unreadable TLS files.
  static Result<std::unique_ptr<HttpServer>> start(const HttpOptions& options,
                                                   const JsonGateway& gateway, Metrics metrics);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // "127.0.0.1:8080", the port as bound.
  const std::string& address() const { return address_; }
  bool tls() const { return tls_; }
  // Stops taking connections; requests in flight go on (end them by shutting the gRPC server
  // down, which cancels their calls).
  void stop_accepting();
  // Waits for the requests in flight to be answered.
  void wait();

 private:
  HttpServer() = default;

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::string address_;
  bool tls_ = false;
};

}  // namespace zbb::http
