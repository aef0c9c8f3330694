#include "adapters/grpc/health_service.h"

#include <optional>

namespace zbb::api {

using grpc::health::v1::HealthCheckResponse;

void HealthService::set_serving(const std::string& service, bool serving) {
  std::lock_guard lock(mutex_);
  if (stopped_) return;  // a stopping server serves nothing again
  statuses_[service] = serving ? HealthCheckResponse::SERVING : HealthCheckResponse::NOT_SERVING;
  ++changes_;
  changed_.notify_all();
}

void HealthService::stop() {
  std::lock_guard lock(mutex_);
  for (auto& [service, status] : statuses_) status = HealthCheckResponse::NOT_SERVING;
  stopped_ = true;
  ++changes_;
  changed_.notify_all();
}

HealthService::ServingStatus HealthService::status_of(const std::string& service) const {
  const auto found = statuses_.find(service);
  return found == statuses_.end() ? HealthCheckResponse::SERVICE_UNKNOWN : found->second;
}

grpc::Status HealthService::Check(grpc::ServerContext*,
                                  const grpc::health::v1::HealthCheckRequest* request,
                                  HealthCheckResponse* response) {
  std::lock_guard lock(mutex_);
  const ServingStatus status = status_of(request->service());
  // The protocol answers a name it does not know with NOT_FOUND, not with a status.
  if (status == HealthCheckResponse::SERVICE_UNKNOWN)
    return grpc::Status(grpc::NOT_FOUND, "unknown service");
  response->set_status(status);
  return grpc::Status::OK;
}

grpc::Status HealthService::Watch(grpc::ServerContext* context,
                                  const grpc::health::v1::HealthCheckRequest* request,
                                  grpc::ServerWriter<HealthCheckResponse>* writer) {
  std::unique_lock lock(mutex_);
  std::uint64_t seen = changes_;
  std::optional<ServingStatus> sent;
  while (!context->IsCancelled()) {
    const ServingStatus status = status_of(request->service());
    const bool stopped = stopped_;
    if (!sent || status != *sent) {
      HealthCheckResponse response;
      response.set_status(status);
      lock.unlock();
      if (!writer->Write(response)) return grpc::Status::CANCELLED;
      lock.lock();
      sent = status;
    }
    if (stopped) return grpc::Status(grpc::UNAVAILABLE, "the server is shutting down");
    changed_.wait_for(lock, idle_check_, [&] { return changes_ != seen; });
    seen = changes_;
  }
  return grpc::Status::CANCELLED;
}

}  // namespace zbb::api
