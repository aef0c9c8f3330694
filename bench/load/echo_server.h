#pragma once

// The gRPC floor: a bare zbb.v1.Workflow server in the bench's own process, on a loopback port
// of its own, that answers PushEvent and PushEvents at once with a small valid response —
// no authentication, no engine, no storage. Built on gRPC's callback API, the faster of its
// two server APIs on this kind of machine (DESIGN), so a ratio against it is not flattered.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

namespace zbb::bench {

class EchoServer {
 public:
  EchoServer();  // listens on 127.0.0.1, a port the system chooses; throws BenchError if not
  ~EchoServer();
  EchoServer(const EchoServer&) = delete;
  EchoServer& operator=(const EchoServer&) = delete;

  const std::string& address() const { return address_; }

 private:
  class Service;
  std::unique_ptr<Service> service_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
};

}  // namespace zbb::bench
