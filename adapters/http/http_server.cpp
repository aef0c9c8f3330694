#include "adapters/http/http_server.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <sys/socket.h>

#include <chrono>
#include <filesystem>

#include "adapters/grpc/grpc_status.h"
#include "adapters/http/http_status.h"

namespace zbb::http {
namespace {

// As gRPC's default limit on a message: the largest request a client may send either way.
constexpr std::size_t kMaxBody = 4 * 1024 * 1024;

struct HostPort {
  std::string host;
  int port = 0;
};

Result<HostPort> parse_listen(const std::string& listen) {
  const auto colon = listen.rfind(':');
  const Status refused = Status::InvalidArgument("--http-listen", "is not host:port: " + listen);
  if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size()) return refused;
  HostPort parsed;
  parsed.host = listen.substr(0, colon);
  if (parsed.host.size() > 2 && parsed.host.front() == '[' && parsed.host.back() == ']')
    parsed.host = parsed.host.substr(1, parsed.host.size() - 2);
  const std::string port = listen.substr(colon + 1);
  if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return refused;
  parsed.port = std::stoi(port);
  if (parsed.port > 65535) return refused;
  return parsed;
}

void answer_json(httplib::Response& response, const HttpAnswer& answer) {
  response.status = answer.status;
  if (answer.status == 401) response.set_header("WWW-Authenticate", "Bearer");
  response.set_content(answer.body, "application/json; charset=utf-8");
}

void route(httplib::Server& server, const HttpOptions& options, const JsonGateway& gateway,
           HttpServer::Metrics metrics) {
  // Every answer: no framing by another site, no script or style but the console's own files,
  // no content type guessed, no address of a page sent on.
  server.set_default_headers({
      {"Content-Security-Policy",
       "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; "
       "form-action 'self'"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
      {"Cache-Control", "no-store"},
  });
  server.set_payload_max_length(kMaxBody);
  // httplib's default sets SO_REUSEPORT, which would let a second zbbd listen on this port and
  // take half its clients: one port, one server (as for gRPC's port). SO_REUSEADDR lets a
  // restarted zbbd bind while the old connections close.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  // An idle browser connection holds a worker of the pool, and a shutdown waits for it.
  server.set_keep_alive_timeout(2);

  const std::string api = R"(/api/([A-Za-z0-9_.]+)/([A-Za-z0-9_]+))";
  server.Post(api, [&gateway](const httplib::Request& request, httplib::Response& response) {
    answer_json(response, gateway.call(request.matches[1].str(), request.matches[2].str(),
                                       request.body, request.get_header_value("Authorization")));
  });
  const auto not_post = [](const httplib::Request&, httplib::Response& response) {
    response.set_header("Allow", "POST");
    answer_json(response,
                {405, error_body(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                              "calls are POST requests with a JSON body"))});
  };
  server.Get(api, not_post);
  server.Put(api, not_post);
  server.Patch(api, not_post);
  server.Delete(api, not_post);
  server.Get("/metrics", [metrics](const httplib::Request& request, httplib::Response& response) {
    const Status allowed = metrics.authorize(request.get_header_value("Authorization"));
    if (!allowed.ok()) {
      const grpc::Status refused = api::to_grpc(allowed, nullptr);
      answer_json(response, {http_status_of(refused.error_code()), error_body(refused)});
      return;
    }
    response.set_content(metrics.text(), "text/plain; version=0.0.4; charset=utf-8");
  });
  const std::string console = nlohmann::json{{"time_zone", options.time_zone}}.dump();
  server.Get("/console.json", [console](const httplib::Request&, httplib::Response& response) {
    response.set_content(console, "application/json; charset=utf-8");
  });
  server.set_file_extension_and_mimetype_mapping("js", "text/javascript; charset=utf-8");
  server.set_file_extension_and_mimetype_mapping("html", "text/html; charset=utf-8");
  server.set_file_extension_and_mimetype_mapping("css", "text/css; charset=utf-8");
  server.set_mount_point("/", options.console_dir);
  server.set_error_handler([](const httplib::Request& request, httplib::Response& response) {
    // Only answers that have no body of their own: a file not found, a method not served.
    if (!response.body.empty()) return;
    const grpc::Status status =
        response.status == 404
            ? grpc::Status(grpc::StatusCode::NOT_FOUND, "nothing is served at " + request.path)
            : grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                           "the request could not be read (HTTP " +
                               std::to_string(response.status) +
                               "): a call is a POST with a JSON body and its Content-Length");
    response.set_content(error_body(status), "application/json; charset=utf-8");
  });
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& response, std::exception_ptr) {
        answer_json(response,
                    {500, error_body(grpc::Status(grpc::StatusCode::INTERNAL,
                                                  "the request failed in zbbd's HTTP server"))});
      });
}

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::start(const HttpOptions& options,
                                                      const JsonGateway& gateway, Metrics metrics) {
  auto listen = parse_listen(options.listen);
  if (!listen.ok()) return listen.status();
  std::error_code error;
  if (!std::filesystem::is_directory(options.console_dir, error))
    return Status::InvalidArgument(
        "--console-dir", "is not a directory of the console's files: " + options.console_dir);
  std::unique_ptr<HttpServer> http(new HttpServer());
  if (options.tls_certificate.empty() != options.tls_key.empty())
    return Status::InvalidArgument("--tls-cert/--tls-key", "give both or neither");
  if (!options.tls_certificate.empty()) {
    auto secure = std::make_unique<httplib::SSLServer>(options.tls_certificate.c_str(),
                                                       options.tls_key.c_str());
    if (!secure->is_valid())
      return Status::InvalidArgument("--tls-cert/--tls-key",
                                     "cannot be read as a PEM certificate chain and its key");
    http->server_ = std::move(secure);
    http->tls_ = true;
  } else {
    http->server_ = std::make_unique<httplib::Server>();
  }
  route(*http->server_, options, gateway, std::move(metrics));
  int port = listen->port;
  if (port == 0) {
    port = http->server_->bind_to_any_port(listen->host);
    if (port < 0) port = 0;
  } else if (!http->server_->bind_to_port(listen->host, port)) {
    port = 0;
  }
  if (port == 0)
    return Status::InvalidArgument(
        "--http-listen",
        "cannot listen on " + options.listen + ": the address is in use or cannot be bound");
  http->address_ = options.listen.substr(0, options.listen.rfind(':')) + ":" + std::to_string(port);
  httplib::Server* server = http->server_.get();
  http->thread_ = std::thread([server] { server->listen_after_bind(); });
  // httplib's stop() does nothing until the listening thread runs: a stop before then would
  // leave it listening, and the join waiting, for ever.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!server->is_running() && std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (!server->is_running())
    return Status::Unavailable("--http-listen: the HTTP server did not start listening");
  return http;
}

HttpServer::~HttpServer() {
  stop_accepting();
  wait();
}

void HttpServer::stop_accepting() {
  if (server_) server_->stop();
}

void HttpServer::wait() {
  if (thread_.joinable()) thread_.join();
}

}  // namespace zbb::http
