#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "grpc/health/v1/health.grpc.pb.h"

namespace zbb::api {

// grpc.health.v1.Health for zbbd: the whole server ("") and each service by its full name.
// Served here rather than by gRPC's built-in service, which keeps Watch streams open until the
// shutdown grace runs out: stopping ends every Watch at once, as zbb's own Watch streams end.
class HealthService final : public grpc::health::v1::Health::Service {
 public:
  using ServingStatus = grpc::health::v1::HealthCheckResponse::ServingStatus;

  // Watch streams look for a departed client this often while nothing changes.
  explicit HealthService(std::chrono::milliseconds idle_check) : idle_check_(idle_check) {}

  // Registers `service` ("" for the whole server) as serving or not.
  void set_serving(const std::string& service, bool serving);
  // Every status NOT_SERVING for good, and every Watch stream ended once it has said so.
  void stop();

  grpc::Status Check(grpc::ServerContext* context,
                     const grpc::health::v1::HealthCheckRequest* request,
                     grpc::health::v1::HealthCheckResponse* response) override;
  grpc::Status Watch(grpc::ServerContext* context,
                     const grpc::health::v1::HealthCheckRequest* request,
                     grpc::ServerWriter<grpc::health::v1::HealthCheckResponse>* writer) override;

 private:
  // SERVICE_UNKNOWN for a name never registered. Called with mutex_ held.
  ServingStatus status_of(const std::string& service) const;

  const std::chrono::milliseconds idle_check_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, ServingStatus> statuses_;
  std::uint64_t changes_ = 0;  // grows on every change, so a Watch knows when to look again
  bool stopped_ = false;
};

}  // namespace zbb::api
