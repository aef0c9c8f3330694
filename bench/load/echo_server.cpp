#include "bench/load/echo_server.h"

#include <atomic>

#include "bench/load/bench_error.h"
#include "zbb/v1/workflow.grpc.pb.h"

namespace zbb::bench {

// Answers as zbbd does when an event is accepted, minus the line document: the version, the
// state and a global sequence.
class EchoServer::Service final : public zbb::v1::Workflow::CallbackService {
 public:
  grpc::ServerUnaryReactor* PushEvent(grpc::CallbackServerContext* context,
                                      const zbb::v1::PushEventRequest* /*request*/,
                                      zbb::v1::CommandResponse* response) override {
    const std::int64_t sequence = ++sequence_;
    response->set_version(sequence);
    response->set_state("execution.executing");
    response->set_sequence(sequence);
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

  grpc::ServerUnaryReactor* PushEvents(grpc::CallbackServerContext* context,
                                       const zbb::v1::PushEventsRequest* request,
                                       zbb::v1::PushEventsResponse* response) override {
    const std::int64_t first = sequence_.fetch_add(request->items_size()) + 1;
    for (int i = 0; i < request->items_size(); ++i) {
      auto* outcome = response->add_outcomes();
      outcome->set_index(i);
      outcome->set_line_id(request->items(i).line_id());
      outcome->set_version(first + i);
      outcome->set_state("execution.executing");
      outcome->set_sequence(first + i);
    }
    response->set_succeeded(request->items_size());
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

 private:
  std::atomic<std::int64_t> sequence_{0};
};

EchoServer::EchoServer() : service_(std::make_unique<Service>()) {
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(service_.get());
  server_ = builder.BuildAndStart();
  if (!server_ || port == 0) throw BenchError("the echo server cannot listen on 127.0.0.1");
  address_ = "127.0.0.1:" + std::to_string(port);
}

EchoServer::~EchoServer() {
  server_->Shutdown();
  server_->Wait();
}

}  // namespace zbb::bench
