// The gRPC edge's access control: the token file (which mistakes stop zbbd, each named by file,
// entry and field), bearer authentication, and which role may act on, read, list and watch what.

#include <unistd.h>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include <catch2/catch.hpp>

#include "adapters/grpc/authorization.h"
#include "adapters/grpc/token_authenticator.h"
#include "tests/county_fixture.h"
#include "tests/county_people.h"

namespace {

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using Catch::Matchers::StartsWith;
using zbb::BudgetLine;
using zbb::Code;
using zbb::LineFilter;
using zbb::Status;
using zbb::api::authorize_read;
using zbb::api::authorize_watch;
using zbb::api::Principal;
using zbb::api::queue_roles;
using zbb::api::restrict_listing;
using zbb::api::TokenAuthenticator;
using zbb::testing::kEducation;
using zbb::testing::kTransport;
namespace actor = zbb::testing::actor;

// ---- the people of the county, as the token file would name them ----------------------------

using namespace zbb::testing::people;

// ---- reading, listing, watching ------------------------------------------------------------

TEST_CASE("supervisors, reviewers, approvers and integrators read every line", "[auth]") {
  BudgetLine education = transport_line();
  education.mutable_content()->set_department(kEducation);
  for (const auto& principal : {kSupervisor, kReviewer, kDepartmentHead, kTreasury}) {
    INFO(principal.name);
    CHECK(authorize_read(principal, transport_line()).ok());
    CHECK(authorize_read(principal, education).ok());
  }
}

TEST_CASE("a unit reads only its own departments' lines", "[auth]") {
  BudgetLine education = transport_line();
  education.set_id("2027-education-meals");
  education.mutable_content()->set_department(kEducation);
  CHECK(authorize_read(kTransportUnit, transport_line()).ok());
  const Status refused = authorize_read(kTransportUnit, education);
  CHECK(refused.code() == Code::kPermissionDenied);
  CHECK_THAT(refused.message(), StartsWith(actor::kTransportUnit +
                                           " may not read line 2027-education-meals: it "
                                           "belongs to department \"" +
                                           kEducation + "\""));
  CHECK(authorize_read(kTwoDepartments, transport_line()).ok());
  CHECK(authorize_read(kTwoDepartments, education).ok());
}

TEST_CASE("watching the event stream is refused to units", "[auth]") {
  for (const auto& principal : {kTransportUnit, kTwoDepartments}) {
    const Status status = authorize_watch(principal);
    CHECK(status.code() == Code::kPermissionDenied);
    CHECK_THAT(status.message(), Contains("may not watch events"));
  }
  for (const auto& principal : {kSupervisor, kReviewer, kBudgetSection, kTreasury}) {
    CHECK(authorize_watch(principal).ok());
  }
  // A unit that is also a reviewer reads everything anyway.
  CHECK(authorize_watch(Principal{"li.both", {"unit:" + kTransport, "reviewer"}}).ok());
}

TEST_CASE("a listing by a reader of everything is left as asked", "[auth]") {
  LineFilter filter;
  REQUIRE(restrict_listing(kSupervisor, filter).ok());
  CHECK(filter.department.empty());
  filter.department = kEducation;
  REQUIRE(restrict_listing(kReviewer, filter).ok());
  CHECK(filter.department == kEducation);
}

TEST_CASE("a unit of one department lists only that department", "[auth]") {
  LineFilter filter;
  REQUIRE(restrict_listing(kTransportUnit, filter).ok());
  CHECK(filter.department == kTransport);

  LineFilter own;
  own.department = kTransport;
  CHECK(restrict_listing(kTransportUnit, own).ok());
  CHECK(own.department == kTransport);

  LineFilter other;
  other.department = kEducation;
  const Status status = restrict_listing(kTransportUnit, other);
  CHECK(status.code() == Code::kPermissionDenied);
  CHECK_THAT(status.message(), Contains("may not list lines of department \"" + kEducation));
}

TEST_CASE("a unit of several departments must name one of them", "[auth]") {
  LineFilter none;
  const Status status = restrict_listing(kTwoDepartments, none);
  CHECK(status.code() == Code::kPermissionDenied);
  CHECK_THAT(status.message(), Contains("name one of your departments"));

  LineFilter education;
  education.department = kEducation;
  CHECK(restrict_listing(kTwoDepartments, education).ok());
  CHECK(education.department == kEducation);

  LineFilter health;
  health.department = zbb::testing::kHealth;
  CHECK(restrict_listing(kTwoDepartments, health).code() == Code::kPermissionDenied);
}

TEST_CASE("the queue is made of unit, reviewer and approver roles", "[auth]") {
  const Principal everything{
      "all.hats",
      {"supervisor", "unit:" + kTransport, "approver:bureau_head", "integrator", "reviewer"}};
  CHECK(queue_roles(everything) ==
        std::vector<std::string>{"unit:" + kTransport, "approver:bureau_head", "reviewer"});
  CHECK(queue_roles(kSupervisor).empty());
  CHECK(queue_roles(kTreasury).empty());
}

// ---- the token file -------------------------------------------------------------------------

const std::string kReviewerToken = "rv-wang-0123456789abcdef";
const std::string kTreasuryToken = "ig-treasury-secret-2027";
// sha256sum of kTreasuryToken, computed outside the code under test.
const std::string kTreasuryDigest =
    "bfd9705db4beb0ad800ef7192414afab06c6726918a64fb3db0c49645b1c8670";

const std::string kTokenFile = R"({"principals": [
  {"name": "reviewer.wang", "roles": ["reviewer"], "token": ")" +
                               kReviewerToken + R"("},
  {"name": "integrator.treasury", "roles": ["integrator", "unit:县交通运输局"],
   "token_sha256": ")" + kTreasuryDigest +
                               R"("}
]})";

TokenAuthenticator county_tokens() {
  auto loaded = TokenAuthenticator::from_json(kTokenFile, "tokens.json");
  REQUIRE(loaded.ok());
  return std::move(loaded).value();
}

// The INVALID_ARGUMENT message for `text`, or a note that it loaded.
std::string load_error(const std::string& text) {
  const auto loaded = TokenAuthenticator::from_json(text, "tokens.json");
  if (loaded.ok()) return "(loaded)";
  CHECK(loaded.status().code() == Code::kInvalidArgument);
  return loaded.status().message();
}

// A file with one entry whose fields are `fields` (JSON object members).
std::string one_entry(const std::string& fields) { return R"({"principals": [{)" + fields + "}]}"; }

const std::string kName = R"("name": "reviewer.wang")";
const std::string kRoles = R"("roles": ["reviewer"])";
const std::string kToken = R"("token": ")" + kReviewerToken + R"(")";

TEST_CASE("a token file with plain and hashed tokens loads", "[auth][tokens]") {
  CHECK(county_tokens().size() == 2);
}

TEST_CASE("a bearer token authenticates its principal", "[auth][tokens]") {
  const TokenAuthenticator tokens = county_tokens();
  const auto principal = tokens.authenticate("Bearer " + kReviewerToken);
  REQUIRE(principal.ok());
  CHECK(principal->name == "reviewer.wang");
  CHECK(principal->roles == std::vector<std::string>{"reviewer"});
}

TEST_CASE("the scheme is case-insensitive", "[auth][tokens]") {
  const TokenAuthenticator tokens = county_tokens();
  CHECK(tokens.authenticate("bearer " + kReviewerToken).ok());
  CHECK(tokens.authenticate("BEARER " + kReviewerToken).ok());
  CHECK(tokens.authenticate("  Bearer   " + kReviewerToken + " ").ok());
}

TEST_CASE("a token given only as its SHA-256 is accepted", "[auth][tokens]") {
  const auto principal = county_tokens().authenticate("Bearer " + kTreasuryToken);
  REQUIRE(principal.ok());
  CHECK(principal->name == "integrator.treasury");
  CHECK(principal->has_role("integrator"));
  // The digest itself is not a token.
  CHECK(county_tokens().authenticate("Bearer " + kTreasuryDigest).status().code() ==
        Code::kUnauthenticated);
}

TEST_CASE("upper-case hex digests are accepted", "[auth][tokens]") {
  std::string upper = kTreasuryDigest;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const auto loaded = TokenAuthenticator::from_json(
      one_entry(kName + ", " + kRoles + R"(, "token_sha256": ")" + upper + "\""), "tokens.json");
  REQUIRE(loaded.ok());
  CHECK(loaded->authenticate("Bearer " + kTreasuryToken).ok());
}

TEST_CASE("a missing or empty authorization is UNAUTHENTICATED", "[auth][tokens]") {
  const TokenAuthenticator tokens = county_tokens();
  for (const std::string header : {"", "   ", "Bearer", "Bearer ", "bearer \t "}) {
    INFO("header: \"" << header << "\"");
    const Status status = tokens.authenticate(header).status();
    CHECK(status.code() == Code::kUnauthenticated);
    CHECK(status.message() ==
          "missing bearer token: send the token as the gRPC metadata (header) "
          "\"authorization: Bearer <token>\"");
  }
}

TEST_CASE("another scheme is not a bearer token", "[auth][tokens]") {
  const TokenAuthenticator tokens = county_tokens();
  const std::vector<std::string> headers = {"Basic cmV2aWV3ZXIud2FuZzpzZWNyZXQ=", kReviewerToken,
                                            "Bearer-" + kReviewerToken};
  for (const std::string& header : headers) {
    INFO("header: \"" << header << "\"");
    const Status status = tokens.authenticate(header).status();
    CHECK(status.code() == Code::kUnauthenticated);
    CHECK_THAT(status.message(), StartsWith("missing bearer token"));
    CHECK_THAT(status.message(), !Contains(kReviewerToken));
  }
}

TEST_CASE("an unknown token is refused without echoing it", "[auth][tokens]") {
  const std::string guess = "guessed-token-0000000000";
  const Status status = county_tokens().authenticate("Bearer " + guess).status();
  CHECK(status.code() == Code::kUnauthenticated);
  CHECK_THAT(status.message(), StartsWith("unknown token: the bearer token in the "
                                          "\"authorization\" metadata"));
  CHECK_THAT(status.message(), !Contains(guess));
  // A known token with its case changed is another token.
  CHECK_FALSE(
      county_tokens().authenticate("Bearer " + std::string("RV-WANG-0123456789ABCDEF")).ok());
}

TEST_CASE("token file: the document", "[auth][tokens]") {
  CHECK_THAT(load_error(R"({"principals": [)"),
             StartsWith("tokens.json: not valid JSON: parse error at line 1"));
  const std::string unterminated =
      load_error(one_entry(kName + ", " + kRoles + R"(, "token": ")" + kReviewerToken + "\n"));
  CHECK_THAT(unterminated, StartsWith("tokens.json: not valid JSON: parse error at line"));
  CHECK_THAT(unterminated, !Contains(kReviewerToken));
  CHECK(load_error(R"([])") == "tokens.json: must be a JSON object with a \"principals\" array");
  CHECK(load_error(R"({})") == "tokens.json: principals: missing");
  CHECK(load_error(R"({"principals": {}})") == "tokens.json: principals: must be an array");
  CHECK(load_error(R"({"principals": []})") ==
        "tokens.json: principals: must list at least one principal");
  CHECK_THAT(load_error(R"({"principals": [], "tokens": []})"),
             StartsWith("tokens.json: tokens: unknown field"));
  CHECK(load_error(R"({"principals": ["reviewer.wang"]})") ==
        "tokens.json: principals[0]: must be an object with name, roles and token");
}

TEST_CASE("token file: a key given twice in one entry", "[auth][tokens]") {
  CHECK(load_error(one_entry(kName + ", " + kRoles + ", " + kToken + ", " + kToken)) ==
        "tokens.json: principals[0].token: key appears twice");
}

TEST_CASE("token file: unknown fields of an entry", "[auth][tokens]") {
  CHECK_THAT(load_error(one_entry(kName + ", " + kRoles + R"(, "tokn": "x")")),
             StartsWith("tokens.json: principals[0].tokn: unknown field"));
}

TEST_CASE("token file: name", "[auth][tokens]") {
  CHECK(load_error(one_entry(kRoles + ", " + kToken)) ==
        "tokens.json: principals[0].name: missing");
  CHECK(load_error(one_entry(R"("name": 7, )" + kRoles + ", " + kToken)) ==
        "tokens.json: principals[0].name: must be a string");
  CHECK_THAT(load_error(one_entry(R"("name": "", )" + kRoles + ", " + kToken)),
             StartsWith("tokens.json: principals[0].name: must not be empty"));
  // The name is the engine's actor: what the engine would refuse, the loader refuses first.
  CHECK_THAT(load_error(one_entry(R"("name": "wang reviewer", )" + kRoles + ", " + kToken)),
             StartsWith("tokens.json: principals[0].name: may hold only letters, digits"));
  CHECK_THAT(load_error(one_entry(R"("name": "zbbd", )" + kRoles + ", " + kToken)),
             Contains("the server's own name"));
  CHECK_THAT(load_error(one_entry(R"("name": "王审核", )" + kRoles + ", " + kToken)),
             StartsWith("tokens.json: principals[0].name: may hold only letters, digits"));
  CHECK_THAT(load_error(one_entry(R"("name": ")" + std::string(129, 'a') + R"(", )" + kRoles +
                                  ", " + kToken)),
             StartsWith("tokens.json: principals[0].name: is longer than 128 bytes"));
}

TEST_CASE("token file: roles", "[auth][tokens]") {
  const auto with_roles = [](const std::string& roles) {
    return load_error(one_entry(kName + R"(, "roles": )" + roles + ", " + kToken));
  };
  CHECK(load_error(one_entry(kName + ", " + kToken)) ==
        "tokens.json: principals[0].roles: missing");
  CHECK(with_roles(R"("reviewer")") ==
        "tokens.json: principals[0].roles: must be an array of strings");
  CHECK(with_roles("[]") == "tokens.json: principals[0].roles: must name at least one role");
  CHECK(with_roles("[1]") == "tokens.json: principals[0].roles[0]: must be a string");
  CHECK_THAT(
      with_roles(R"(["reviewer", "auditor"])"),
      StartsWith("tokens.json: principals[0].roles[1]: unknown role \"auditor\"; expected "
                 "unit:<department>, reviewer, approver:<level>, supervisor, integrator, expert or "
                 "evaluator"));
  CHECK_THAT(with_roles(R"(["Reviewer"])"), Contains("unknown role \"Reviewer\""));
  CHECK_THAT(with_roles(R"(["approver"])"), Contains("unknown role \"approver\""));
  CHECK(with_roles(R"(["unit:"])") ==
        "tokens.json: principals[0].roles[0]: \"unit:\" names no department after the \"unit:\"");
  CHECK(with_roles(R"(["approver:"])") ==
        "tokens.json: principals[0].roles[0]: \"approver:\" names no approval level after the "
        "\"approver:\"");
  CHECK_THAT(with_roles(R"(["unit: 县教育局"])"), Contains("must not contain whitespace"));
  CHECK(with_roles(R"(["reviewer", "supervisor", "reviewer"])") ==
        "tokens.json: principals[0].roles[2]: \"reviewer\" is already listed at roles[0]");
  CHECK(with_roles(R"(["unit:县教育局", "approver:bureau_head", "supervisor", "integrator"])") ==
        "(loaded)");
}

TEST_CASE("token file: token", "[auth][tokens]") {
  const std::string prefix = kName + ", " + kRoles;
  CHECK(load_error(one_entry(prefix)) ==
        "tokens.json: principals[0].token: missing (give \"token\" or \"token_sha256\")");
  CHECK(load_error(one_entry(prefix + R"(, "token": 12345678901234567890)")) ==
        "tokens.json: principals[0].token: must be a string");
  const std::string short_token = "short-secret-15";
  const std::string too_short =
      load_error(one_entry(prefix + R"(, "token": ")" + short_token + "\""));
  CHECK(too_short == "tokens.json: principals[0].token: must be at least 16 characters");
  CHECK_THAT(too_short, !Contains(short_token));
  CHECK(load_error(one_entry(prefix + R"(, "token": "sixteen-chars-ok")")) == "(loaded)");
  CHECK_THAT(
      load_error(one_entry(prefix + R"(, "token": "has a space in it, 20+")")),
      StartsWith("tokens.json: principals[0].token: must be printable ASCII without spaces"));
  CHECK(load_error(one_entry(kToken + ", " + prefix + R"(, "token_sha256": ")" + kTreasuryDigest +
                             "\"")) ==
        "tokens.json: principals[0].token: give either token or token_sha256, not both");
}

TEST_CASE("token file: token_sha256", "[auth][tokens]") {
  const std::string prefix = kName + ", " + kRoles + R"(, "token_sha256": )";
  const std::string expected =
      "tokens.json: principals[0].token_sha256: must be 64 hexadecimal digits (the SHA-256 of the "
      "token)";
  CHECK(load_error(one_entry(prefix + "\"" + kTreasuryDigest.substr(1) + "\"")) == expected);
  CHECK(load_error(one_entry(prefix + "\"" + kTreasuryDigest.substr(1) + "g\"")) == expected);
  CHECK(load_error(one_entry(prefix + "\"\"")) == expected);
  CHECK(load_error(one_entry(prefix + "[]")) ==
        "tokens.json: principals[0].token_sha256: must be a string");
}

TEST_CASE("token file: two principals with one token", "[auth][tokens]") {
  const std::string first = R"({"name": "reviewer.wang", "roles": ["reviewer"], )" + kToken + "}";
  const std::string same_plain =
      R"({"name": "reviewer.ma", "roles": ["reviewer"], )" + kToken + "}";
  CHECK(load_error(R"({"principals": [)" + first + ", " + same_plain + "]}") ==
        "tokens.json: principals[1].token: the same token as principals[0]; every principal "
        "needs its own token");
  // The same token given once in plain and once hashed is still the same token.
  const std::string plain_treasury =
      R"({"name": "treasury", "roles": ["integrator"], "token": ")" + kTreasuryToken + "\"}";
  const std::string hashed_treasury =
      R"({"name": "treasury.2", "roles": ["integrator"], "token_sha256": ")" + kTreasuryDigest +
      "\"}";
  CHECK_THAT(
      load_error(R"({"principals": [)" + plain_treasury + ", " + hashed_treasury + "]}"),
      StartsWith("tokens.json: principals[1].token_sha256: the same token as principals[0]"));
}

TEST_CASE("token file: two principals with one name", "[auth][tokens]") {
  const std::string first = R"({"name": "reviewer.wang", "roles": ["reviewer"], )" + kToken + "}";
  const std::string again =
      R"({"name": "reviewer.wang", "roles": ["supervisor"], "token": "another-token-0123"})";
  CHECK(load_error(R"({"principals": [)" + first + ", " + again + "]}") ==
        "tokens.json: principals[1].name: \"reviewer.wang\" is already used by principals[0]");
}

TEST_CASE("token file: read from disk, and a missing file named", "[auth][tokens]") {
  const fs::path dir = fs::temp_directory_path() / ("zbb-auth-test-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const fs::path path = dir / "tokens.json";
  std::ofstream(path) << kTokenFile;

  const auto loaded = TokenAuthenticator::load_file(path.string());
  REQUIRE(loaded.ok());
  CHECK(loaded->authenticate("Bearer " + kReviewerToken).ok());

  const auto missing = TokenAuthenticator::load_file((dir / "absent.json").string());
  CHECK(missing.status().code() == Code::kInvalidArgument);
  CHECK_THAT(missing.status().message(),
             StartsWith((dir / "absent.json").string() + ": cannot read token file"));

  std::ofstream(path) << R"({"principals": [{"name": "x", "roles": ["reviewer"]}]})";
  CHECK_THAT(TokenAuthenticator::load_file(path.string()).status().message(),
             Equals(path.string() + ": principals[0].token: missing (give \"token\" or "
                                    "\"token_sha256\")"));
  fs::remove_all(dir);
}

}  // namespace
