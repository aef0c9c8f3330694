// Requests that do not parse, sent as raw bytes to every method zbbd serves: each is refused
// INVALID_ARGUMENT saying what failed, and zbbd logs it.

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/unknown_field_set.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <catch2/catch.hpp>
#include <optional>
#include <random>
#include <string>
#include <utility>

#include "grpc/health/v1/health.grpc.pb.h"
#include "parsing/checked_request_parsing.h"
#include "tests/live_server.h"
#include "zbb/v1/query.grpc.pb.h"
#include "zbb/v1/workflow.grpc.pb.h"

namespace zbb::testing {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::MethodDescriptor;
using google::protobuf::UnknownFieldSet;

const google::protobuf::Message& prototype_of(const Descriptor* type) {
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type);
  REQUIRE(prototype != nullptr);
  return *prototype;
}

// Sends `bytes` as the one request message of `method`, whatever its kind (unary or streaming:
// on the wire every call is a stream of messages), and returns how the call ended.
grpc::Status send_raw(grpc::Channel& channel, const MethodDescriptor& method,
                      const std::string& bytes) {
  grpc::GenericStub stub(std::shared_ptr<grpc::Channel>(&channel, [](grpc::Channel*) {}));
  grpc::CompletionQueue queue;
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + token_of(kSupervisor));
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  const std::string path = "/" + method.service()->full_name() + "/" + method.name();
  auto call = stub.PrepareCall(&context, path, &queue);
  auto wait = [&queue] {
    void* tag = nullptr;
    bool ok = false;
    REQUIRE(queue.Next(&tag, &ok));
    return ok;
  };
  call->StartCall(nullptr);
  wait();
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request(&slice, 1);
  call->Write(request, nullptr);
  wait();
  call->WritesDone(nullptr);
  wait();
  grpc::ByteBuffer answer;
  call->Read(&answer, nullptr);
  CHECK_FALSE(wait());  // no answer message: the call is refused
  grpc::Status status;
  call->Finish(&status, nullptr);
  wait();
  queue.Shutdown();
  return status;
}

// Bytes that do not parse as `type`: random, from a fixed seed, drawn until they fail.
std::string random_bytes_not_parsing(const Descriptor* type) {
  std::mt19937 random(20271220);
  std::uniform_int_distribution<int> byte(0, 255);
  for (;;) {
    std::string bytes(64, '\0');
    for (char& c : bytes) c = static_cast<char>(byte(random));
    std::unique_ptr<google::protobuf::Message> message(prototype_of(type).New());
    if (!message->ParseFromString(bytes)) return bytes;
  }
}

// A request cut short: its field 1 announces 40 bytes and carries 3.
std::string truncated_request() {
  return std::string(
      "\x0a\x28"
      "abc",
      5);
}

// Bytes of a `type` whose first string field (depth first, through message fields) holds
// invalid UTF-8, and that field's path as the refusal names it.
std::optional<std::pair<std::string, std::string>> invalid_utf8_request(const Descriptor* type,
                                                                        int depth = 0) {
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* field = type->field(i);
    const std::string name = field->name() + (field->is_repeated() ? "[0]" : "");
    std::optional<std::pair<std::string, std::string>> inner;
    if (field->type() == FieldDescriptor::TYPE_STRING)
      inner = std::pair<std::string, std::string>{"\xc3\x28 not UTF-8", ""};
    else if (field->type() == FieldDescriptor::TYPE_MESSAGE && depth < 4)
      inner = invalid_utf8_request(field->message_type(), depth + 1);
    if (!inner) continue;
    UnknownFieldSet fields;
    fields.AddLengthDelimited(field->number(), inner->first);
    std::string bytes;
    fields.SerializeToString(&bytes);
    return std::pair{bytes, inner->second.empty() ? name : name + "." + inner->second};
  }
  return std::nullopt;
}

std::vector<const MethodDescriptor*> every_method() {
  std::vector<const MethodDescriptor*> methods;
  for (const char* service : {"zbb.v1.Workflow", "zbb.v1.Query", "grpc.health.v1.Health"}) {
    const auto* descriptor =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service);
    REQUIRE(descriptor != nullptr);
    for (int i = 0; i < descriptor->method_count(); ++i) methods.push_back(descriptor->method(i));
  }
  return methods;
}

}  // namespace

TEST_CASE("requests that do not parse are refused INVALID_ARGUMENT saying what failed, and logged",
          "[e2e][contract]") {
  // Linked so the descriptors of every service are in the generated pool.
  (void)zbb::v1::Workflow::service_full_name();
  (void)zbb::v1::Query::service_full_name();
  (void)grpc::health::v1::Health::service_full_name();
  LiveServer live;
  auto channel = live.server->channel();
  for (const MethodDescriptor* method : every_method()) {
    const Descriptor* type = method->input_type();
    const std::string refusal_start = "the request is not a valid " + type->full_name() + ": ";
    INFO(method->full_name());

    const grpc::Status random = send_raw(*channel, *method, random_bytes_not_parsing(type));
    CHECK(random.error_code() == grpc::INVALID_ARGUMENT);
    CHECK_THAT(random.error_message(), Catch::StartsWith(refusal_start));

    const grpc::Status truncated = send_raw(*channel, *method, truncated_request());
    CHECK(truncated.error_code() == grpc::INVALID_ARGUMENT);
    CHECK_THAT(truncated.error_message(),
               Catch::StartsWith(refusal_start) && Catch::EndsWith("is malformed or truncated"));

    const auto invalid = invalid_utf8_request(type);
    if (!invalid) {  // a request of numbers alone: nothing to hold text
      CHECK(type->full_name() == "zbb.v1.WatchRequest");
      continue;
    }
    const grpc::Status not_utf8 = send_raw(*channel, *method, invalid->first);
    CHECK(not_utf8.error_code() == grpc::INVALID_ARGUMENT);
    CHECK(not_utf8.error_message() == refusal_start + invalid->second + " is not valid UTF-8");

    CHECK_THAT(live.server->log(), Catch::Contains(type->full_name() +
                                                   " did not parse → "
                                                   "INVALID_ARGUMENT " +
                                                   not_utf8.error_message()));
  }
  // Still serving well-formed calls.
  zbb::v1::BudgetLine line;
  CHECK(live.as(kSupervisor).get("JT-NONE", &line).status.error_code() == grpc::NOT_FOUND);
}

TEST_CASE("a refusal to parse names the nested field and the repeated element that failed",
          "[contract]") {
  zbb::v1::PushEventsRequest batch;
  batch.set_request_id("batch-1");
  batch.add_items()->set_line_id("JT-1");
  auto* second = batch.add_items();
  second->set_line_id("JT-2");
  second->mutable_event()->mutable_create()->mutable_content()->set_title("ok");
  std::string bytes = batch.SerializeAsString();
  // The second item's title made invalid: the title's bytes are the last ones written.
  bytes.replace(bytes.size() - 2, 2, "\xc3\x28");
  CHECK(zbb::api::describe_parse_failure(bytes, zbb::v1::PushEventsRequest()) ==
        "the request is not a valid zbb.v1.PushEventsRequest: items[1].event.create.content.title "
        "is not "
        "valid UTF-8");
}

}  // namespace zbb::testing
