#include "checked_request_parsing.h"

#include <google/protobuf/unknown_field_set.h>
#include <grpcpp/support/proto_buffer_reader.h>

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

namespace zbb::api {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::UnknownField;
using google::protobuf::UnknownFieldSet;

std::atomic<ParseFailureLog> parse_failure_log{nullptr};

// Protobuf's own limit on how deep messages nest when parsing.
constexpr int kMaxNesting = 100;

std::string bytes_of(grpc::ByteBuffer* buffer) {
  std::vector<grpc::Slice> slices;
  if (!buffer->Dump(&slices).ok()) return {};
  std::string bytes;
  bytes.reserve(buffer->Length());
  for (const grpc::Slice& slice : slices)
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  return bytes;
}

// Whether one field, alone, parses as a field of `type`: how a string field is found holding
// invalid UTF-8 without a UTF-8 check of our own.
bool field_parses(int number, const std::string& value, const Message& type) {
  UnknownFieldSet alone;
  alone.AddLengthDelimited(number, value);
  std::string bytes;
  alone.SerializeToString(&bytes);
  std::unique_ptr<Message> message(type.New());
  return message->ParseFromString(bytes);
}

// Why `bytes` do not parse as `type`, naming the first field that fails below `path`; nothing
// when every string and message field parses (a failure then lies where this does not look).
std::optional<std::string> find_failure(const std::string& bytes, const Message& type,
                                        const std::string& path, int depth) {
  const std::string where = path.empty() ? "the request" : path;
  if (depth > kMaxNesting) return where + " nests messages too deeply";
  UnknownFieldSet fields;
  if (!fields.ParseFromString(bytes)) return where + " is malformed or truncated";
  std::map<int, int> occurrences;  // per field number: the index of a repeated field's element
  for (int i = 0; i < fields.field_count(); ++i) {
    const UnknownField& field = fields.field(i);
    const int index = occurrences[field.number()]++;
    const FieldDescriptor* descriptor = type.GetDescriptor()->FindFieldByNumber(field.number());
    if (descriptor == nullptr || field.type() != UnknownField::TYPE_LENGTH_DELIMITED) continue;
    std::string field_path = path.empty() ? descriptor->name() : path + "." + descriptor->name();
    if (descriptor->is_repeated()) field_path += "[" + std::to_string(index) + "]";
    if (descriptor->type() == FieldDescriptor::TYPE_STRING) {
      if (!field_parses(field.number(), field.length_delimited(), type))
        return field_path + " is not valid UTF-8";
    } else if (descriptor->type() == FieldDescriptor::TYPE_MESSAGE) {
      const Message* nested = google::protobuf::MessageFactory::generated_factory()->GetPrototype(
          descriptor->message_type());
      if (nested == nullptr) continue;
      if (auto failure = find_failure(field.length_delimited(), *nested, field_path, depth + 1))
        return failure;
    }
  }
  return std::nullopt;
}

// The requests of the services zbbd serves; what a client reads or another service takes parses
// as gRPC parses it.
bool is_served_request(const google::protobuf::Descriptor* type) {
  static const std::set<const google::protobuf::Descriptor*> requests = [] {
    std::set<const google::protobuf::Descriptor*> found;
    for (const char* name : {"zbb.v1.Workflow", "zbb.v1.Query", "grpc.health.v1.Health"}) {
      const auto* service =
          google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(name);
      for (int i = 0; service != nullptr && i < service->method_count(); ++i)
        found.insert(service->method(i)->input_type());
    }
    return found;
  }();
  return requests.contains(type);
}

grpc::Status parse_request(grpc::ByteBuffer* buffer, Message* request) {
  grpc::Status refusal;
  if (buffer == nullptr || !buffer->Valid()) {
    refusal = grpc::Status(grpc::INVALID_ARGUMENT,
                           "the call carries no " + request->GetTypeName() + " message");
  } else {
    bool parsed = false;
    {
      grpc::ProtoBufferReader reader(buffer);
      if (!reader.status().ok()) return reader.status();
      parsed = request->ParseFromZeroCopyStream(&reader);
    }
    if (!parsed)
      refusal =
          grpc::Status(grpc::INVALID_ARGUMENT, describe_parse_failure(bytes_of(buffer), *request));
    buffer->Clear();
    if (parsed) return grpc::Status::OK;
  }
  if (ParseFailureLog log = parse_failure_log.load()) log(request->GetTypeName(), refusal);
  return refusal;
}

}  // namespace

void set_parse_failure_log(ParseFailureLog log) { parse_failure_log.store(log); }

std::string describe_parse_failure(const std::string& bytes, const Message& request) {
  const std::string failure =
      find_failure(bytes, request, "", 0).value_or("its fields do not decode as their types");
  std::string description = "the request is not a valid " + request.GetTypeName() + ": " + failure;
  // A path through deeply nested messages could outgrow what a status message may carry; the
  // names are ASCII, so any cut is at a character boundary.
  constexpr std::size_t kMaxBytes = 900;
  if (description.size() > kMaxBytes) description = description.substr(0, kMaxBytes) + "…";
  return description;
}

grpc::Status parse_message(grpc::ByteBuffer* buffer, grpc::protobuf::MessageLite* message) {
  auto* full = dynamic_cast<Message*>(message);
  if (full != nullptr && is_served_request(full->GetDescriptor()))
    return parse_request(buffer, full);
  return grpc::GenericDeserialize<grpc::ProtoBufferReader, grpc::protobuf::MessageLite>(buffer,
                                                                                        message);
}

}  // namespace zbb::api
