// The project library (项目库): programmes proposed, admitted and retired through the engine,
// titles too much alike flagged or refused, and lines kept to admitted programmes of their own
// department and category.

#include <unistd.h>

#include <catch2/catch.hpp>

#include <filesystem>

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "engine/audit.h"
#include "tests/changed_before_commit.h"
#include "tests/county_fixture.h"
#include "workflows/state_ids.h"
#include "workflows/text_similarity.h"

namespace zbb::testing {
namespace {

namespace s = review::state;

// `count` distinct CJK characters from U+4E00 + `from`, as UTF-8: titles whose bigrams are all
// different, so that the similarity of two of them is counted by hand.
std::string han(int from, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) {
    const char32_t c = 0x4E00 + static_cast<char32_t>(from + i);
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
  return out;
}

std::int32_t permille(const std::string& a, const std::string& b) {
  return review::similarity(review::TextFingerprint(a), review::TextFingerprint(b)).permille();
}

Result<CommandOutcome> propose(County& county, const std::string& code, const std::string& title,
                               const std::string& by = actor::kTransportUnit,
                               const std::string& department = kTransport) {
  return county.programme(by, code, propose_programme(department, title));
}

// A database file removed (with its WAL and shared-memory files) when the test ends.
struct TemporaryDatabase {
  explicit TemporaryDatabase(const std::string& name)
      : path((std::filesystem::temp_directory_path() /
              ("zbb-library-" + name + "-" + std::to_string(::getpid()) + ".db"))
                 .string()) {}
  ~TemporaryDatabase() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  }
  std::string path;
};

Programme programme(County& county, const std::string& code) {
  auto found = county.engine.get_programme(code);
  REQUIRE(found.ok());
  return *found;
}

}  // namespace

TEST_CASE("a programme is proposed, admitted and retired, each step in its own hash chain",
          "[library]") {
  County county;
  auto proposed = propose(county, "JT-ROAD-001", "农村公路日常养护");
  REQUIRE(proposed.ok());
  CHECK(proposed->items.front().state == "candidate");
  CHECK(proposed->items.front().version == 1);
  county.clock.advance(std::chrono::hours(2));
  REQUIRE(county.programme(actor::kReviewer, "JT-ROAD-001", admit_programme("符合规划")).ok());
  Programme p = programme(county, "JT-ROAD-001");
  CHECK(p.status() == zbb::v1::PROGRAMME_STATUS_ADMITTED);
  CHECK(p.department() == kTransport);
  CHECK(p.category() == zbb::v1::CATEGORY_PROJECT);
  CHECK(p.proposed_by() == actor::kTransportUnit);
  CHECK(p.admitted_by() == actor::kReviewer);
  CHECK(p.admission_comment() == "符合规划");
  CHECK(from_proto(p.admitted_at()) == at(2027, 1, 4, 10));
  REQUIRE(county.programme(actor::kReviewer, "JT-ROAD-001", retire_programme("并入综合养护")).ok());
  p = programme(county, "JT-ROAD-001");
  CHECK(p.status() == zbb::v1::PROGRAMME_STATUS_RETIRED);
  CHECK(p.retirement_reason() == "并入综合养护");
  CHECK(p.version() == 3);

  auto history = county.store->programme_history("JT-ROAD-001");
  REQUIRE(history.ok());
  REQUIRE(history->size() == 3);
  const auto& events = *history;
  CHECK(events[0].type == "propose");
  CHECK(events[0].from_state.empty());
  CHECK(events[0].to_state == "candidate");
  CHECK(events[1].type == "admit");
  CHECK(events[1].actor == actor::kReviewer);
  CHECK(events[2].from_state == "admitted");
  CHECK(events[2].to_state == "retired");
  for (std::size_t i = 0; i < events.size(); ++i) {
    CHECK(events[i].line_sequence == static_cast<std::int64_t>(i + 1));
    CHECK(events[i].hash == compute_event_hash(events[i]));
    CHECK(events[i].prev_hash == (i == 0 ? std::string() : events[i - 1].hash));
  }
  zbb::v1::ProgrammeEventPayload payload;
  REQUIRE(payload.ParseFromString(events[2].payload));
  CHECK(payload.event().retire().reason() == "并入综合养护");
  // The line log knows nothing of it.
  CHECK(county.store->events_after(0, 10)->empty());
}

TEST_CASE("each status accepts only its events, and the machine names them", "[library]") {
  County county;
  auto unknown = county.programme(actor::kReviewer, "JT-NONE", admit_programme());
  CHECK(unknown.status().code() == Code::kNotFound);
  REQUIRE(propose(county, "JT-ROAD-001", "农村公路日常养护").ok());
  auto again = propose(county, "JT-ROAD-001", "另一个项目", unit_of(kEducation), kEducation);
  CHECK(again.status().code() == Code::kAlreadyExists);
  CHECK_THAT(again.status().message(), Catch::Contains("candidate of 县交通运输局"));
  REQUIRE(county.programme(actor::kReviewer, "JT-ROAD-001", admit_programme()).ok());
  auto twice = county.programme(actor::kSecondReviewer, "JT-ROAD-001", admit_programme());
  CHECK(twice.status().code() == Code::kFailedPrecondition);
  CHECK(twice.status().message() == "programme JT-ROAD-001 is admitted; accepts: retire");
  REQUIRE(county.programme(actor::kReviewer, "JT-ROAD-001", retire_programme("完成")).ok());
  auto after = county.programme(actor::kReviewer, "JT-ROAD-001", retire_programme("再次"));
  CHECK(after.status().message() == "programme JT-ROAD-001 is retired; it accepts no event");
  // A candidate may be retired without ever being admitted.
  REQUIRE(propose(county, "JT-ROAD-002", "桥梁检测").ok());
  CHECK(county.programme(actor::kReviewer, "JT-ROAD-002", retire_programme("不予立项")).ok());
}

TEST_CASE("who may propose, admit and retire a programme", "[library]") {
  County county;
  // A unit proposes for its own department only; a reviewer or an integrator for any.
  auto foreign = propose(county, "JY-001", "校舍维修", actor::kTransportUnit, kEducation);
  CHECK(foreign.status().code() == Code::kPermissionDenied);
  CHECK(propose(county, "JY-001", "校舍维修", actor::kEducationUnit, kEducation).ok());
  CHECK(propose(county, "JY-002", "学生资助", actor::kTreasury, kEducation).ok());
  CHECK(propose(county, "JY-003", "教师培训", actor::kReviewer, kEducation).ok());
  CHECK(propose(county, "JY-004", "课后服务", "someone.else", kEducation).status().code() ==
        Code::kPermissionDenied);
  // Only a reviewer admits and retires, and not the one who proposed it.
  CHECK(county.programme(actor::kEducationUnit, "JY-001", admit_programme()).status().code() ==
        Code::kPermissionDenied);
  CHECK(county.programme(actor::kTreasury, "JY-002", retire_programme("x")).status().code() ==
        Code::kPermissionDenied);
  auto own = county.programme(actor::kReviewer, "JY-003", admit_programme());
  CHECK(own.status().code() == Code::kPermissionDenied);
  CHECK(own.status().message() == "reviewer.wang proposed programme JY-003 and may not admit it");
  CHECK(county.programme(actor::kSecondReviewer, "JY-003", admit_programme()).ok());
}

TEST_CASE("a proposal names its department, title and category, a retirement its reason",
          "[library]") {
  County county;
  const auto field_of = [](const Result<CommandOutcome>& r) {
    return r.ok() ? std::string() : r.status().field();
  };
  CHECK(field_of(propose(county, "JT:1", "公路")) == "code");
  CHECK(field_of(propose(county, "JT-1", "  ")) == "event.propose.title");
  CHECK(field_of(county.programme(actor::kReviewer, "JT-1", propose_programme("", "公路"))) ==
        "event.propose.department");
  CHECK(field_of(county.programme(
            actor::kReviewer, "JT-1",
            propose_programme(kTransport, "公路", zbb::v1::CATEGORY_UNSPECIFIED))) ==
        "event.propose.category");
  REQUIRE(propose(county, "JT-1", "公路").ok());
  CHECK(field_of(county.programme(actor::kReviewer, "JT-1", retire_programme(""))) ==
        "event.retire.reason");
  CHECK(programme(county, "JT-1").version() == 1);
}

TEST_CASE("a retry returns the first outcome — a stale expected version is refused", "[library]") {
  County county;
  ProgrammeCommand command{.request_id = "propose-road",
                           .principal = principal_of(actor::kTransportUnit),
                           .code = "JT-ROAD-001",
                           .expected_version = 0,
                           .event = propose_programme(kTransport, "农村公路日常养护")};
  auto first = county.engine.execute_programme(command);
  REQUIRE(first.ok());
  CHECK(first->programme.status() == zbb::v1::PROGRAMME_STATUS_CANDIDATE);
  auto retry = county.engine.execute_programme(command);
  REQUIRE(retry.ok());
  CHECK(retry->outcome.replayed);
  CHECK(retry->outcome.items == first->outcome.items);
  command.event = propose_programme(kTransport, "别的标题");
  CHECK(county.engine.execute_programme(command).status().field() == "request_id");
  auto stale = county.programme(actor::kReviewer, "JT-ROAD-001", admit_programme(), 0);
  CHECK(stale.status().code() == Code::kAborted);
  // As for a line: a code taken is ALREADY_EXISTS, whatever version the proposal expected, and
  // a caller without the role is refused before the version is judged.
  auto taken = county.programme(actor::kTransportUnit, "JT-ROAD-001",
                                propose_programme(kTransport, "另一个项目"), 0);
  CHECK(taken.status().code() == Code::kAlreadyExists);
  CHECK(county.programme(actor::kTransportUnit, "JT-ROAD-001", admit_programme(), 7)
            .status()
            .code() == Code::kPermissionDenied);
  CHECK(county.programme(actor::kReviewer, "JT-ROAD-001", admit_programme(), 1).ok());
  CHECK(county.store->programme_history("JT-ROAD-001")->size() == 2);
}

TEST_CASE("the status is judged before who sends the event and why", "[library]") {
  County county;
  REQUIRE(propose(county, "JY-003", "教师培训", actor::kReviewer, kEducation).ok());
  REQUIRE(county.programme(actor::kSecondReviewer, "JY-003", admit_programme()).ok());
  // The proposer admitting it again hears it is admitted, not that he proposed it.
  CHECK(county.programme(actor::kReviewer, "JY-003", admit_programme()).status().code() ==
        Code::kFailedPrecondition);
  REQUIRE(county.programme(actor::kReviewer, "JY-003", retire_programme("完成")).ok());
  CHECK(county.programme(actor::kReviewer, "JY-003", retire_programme("")).status().code() ==
        Code::kFailedPrecondition);
  // An empty department is a bad request, whoever sends it.
  CHECK(county.programme(actor::kTransportUnit, "JT-9", propose_programme("", "公路"))
            .status()
            .field() == "event.propose.department");
}

TEST_CASE("proposals alike that race are judged one after the other", "[library]") {
  County county;
  // Another server proposes the same title under another code just before this one commits.
  ChangedBeforeCommit racing(*county.store, [&] {
    Engine other(*county.store, county.workflow, county.clock);
    auto first =
        other.execute_programme({.request_id = "other-server",
                                 .principal = principal_of(actor::kReviewer),
                                 .code = "JT-ROAD-001",
                                 .expected_version = std::nullopt,
                                 .event = propose_programme(kTransport, "农村公路日常养护")});
    REQUIRE(first.ok());
  });
  Engine engine(racing, county.workflow, county.clock);
  auto second =
      engine.execute_programme({.request_id = "this-server",
                                .principal = principal_of(actor::kTransportUnit),
                                .code = "JT-ROAD-002",
                                .expected_version = std::nullopt,
                                .event = propose_programme(kTransport, "农村公路日常养护")});
  CHECK(second.status().code() == Code::kAlreadyExists);
  CHECK_THAT(second.status().message(), Catch::Contains("duplicate programme JT-ROAD-001"));
  CHECK(racing.changes() == 1);
  CHECK(county.engine.get_programme("JT-ROAD-002").status().code() == Code::kNotFound);
}

TEST_CASE("titles alike are flagged at 80 % and refused as duplicates at 95 %", "[library]") {
  County county;
  const std::string base = han(0, 21);  // 20 bigrams
  REQUIRE(propose(county, "BASE", base).ok());

  SECTION("exactly 95 % is a duplicate, refused naming the other programme") {
    const std::string title = han(0, 20) + han(100, 1);  // 19 of 20 bigrams
    REQUIRE(permille(base, title) == 950);
    auto refused = propose(county, "NEW", title);
    CHECK(refused.status().code() == Code::kAlreadyExists);
    CHECK_THAT(refused.status().message(),
               Catch::Contains("programme NEW would duplicate programme BASE") &&
                   Catch::Contains("95.0 % alike"));
    CHECK(county.engine.get_programme("NEW").status().code() == Code::kNotFound);
  }
  SECTION("just under 95 % is flagged, with the similarity") {
    const std::string longer = han(200, 60);  // 59 bigrams
    REQUIRE(propose(county, "LONG", longer).ok());
    const std::string title = han(200, 57) + han(300, 3);  // 56 of 59 bigrams: 94.9 %
    REQUIRE(permille(longer, title) == 949);
    REQUIRE(propose(county, "NEW", title).ok());
    const Programme p = programme(county, "NEW");
    REQUIRE(p.similar_size() == 1);
    CHECK(p.similar(0).code() == "LONG");
    CHECK(p.similar(0).similarity_per_mille() == 949);
    // The proposal's event records it too.
    zbb::v1::ProgrammeEventPayload payload;
    REQUIRE(payload.ParseFromString(county.store->programme_history("NEW")->front().payload));
    CHECK(payload.similar_size() == 1);
  }
  SECTION("exactly 80 % is flagged, 75 % and 79.5 % are not") {
    const std::string eighty = han(0, 17) + han(100, 4);  // 16 of 20
    REQUIRE(permille(base, eighty) == 800);
    REQUIRE(propose(county, "EIGHTY", eighty).ok());
    CHECK(programme(county, "EIGHTY").similar_size() == 1);
    const std::string seventy_five = han(0, 16) + han(110, 5);  // 15 of 20
    REQUIRE(permille(base, seventy_five) == 750);
    REQUIRE(propose(county, "SEVENTYFIVE", seventy_five).ok());
    CHECK(programme(county, "SEVENTYFIVE").similar_size() == 0);
    const std::string longer = han(400, 40);
    REQUIRE(propose(county, "LONG", longer).ok());
    const std::string under = han(400, 32) + han(500, 8);  // 31 of 39: 79.49 %
    REQUIRE(permille(longer, under) == 794);
    REQUIRE(propose(county, "UNDER", under).ok());
    CHECK(programme(county, "UNDER").similar_size() == 0);
  }
  SECTION("only the department's candidate and admitted programmes are compared") {
    CHECK(propose(county, "EDU", base, actor::kEducationUnit, kEducation).ok());
    REQUIRE(county.programme(actor::kReviewer, "BASE", retire_programme("结束")).ok());
    auto again = propose(county, "BASE-2", base);
    REQUIRE(again.ok());
    CHECK(programme(county, "BASE-2").similar_size() == 0);
  }
  SECTION("the most alike is named, the flagged listed most alike first") {
    REQUIRE(propose(county, "NINETY", han(0, 19) + han(120, 2)).ok());  // 90 % like BASE
    const std::string title = han(0, 20) + han(130, 1);                 // 95 % like BASE
    auto refused = propose(county, "NEW", title);
    CHECK_THAT(refused.status().message(), Catch::Contains("duplicate programme BASE"));
    const std::string flagged = han(1, 18) + han(120, 1) + han(195, 2);  // 85 %, 90 %
    REQUIRE(propose(county, "FLAGGED", flagged).ok());
    const Programme p = programme(county, "FLAGGED");
    REQUIRE(p.similar_size() == 2);
    CHECK(p.similar(0).code() == "NINETY");
    CHECK(p.similar(0).similarity_per_mille() > p.similar(1).similarity_per_mille());
  }
  SECTION("spacing, punctuation and full-width letters make no difference") {
    REQUIRE(propose(county, "ROAD", "Rural road maintenance 2027").ok());
    auto copy = propose(county, "ROAD-COPY", "ＲＵＲＡＬ  road-maintenance, 2027!");
    CHECK(copy.status().code() == Code::kAlreadyExists);
  }
}

TEST_CASE("the title thresholds come from the policy — 0 leaves a rule out", "[library]") {
  auto policy = default_policies().current();
  policy.mutable_library()->set_similar_title_percent(0);
  policy.mutable_library()->set_duplicate_title_percent(0);
  auto policies = review::PolicySet::from_policies({policy}, policy.version());
  REQUIRE(policies.ok());
  County county;
  review::ZeroBasedReview workflow(std::move(policies).value());
  Engine engine(*county.store, workflow, county.clock);
  const auto send = [&](const std::string& code) {
    return engine.execute_programme({.request_id = County::next_request_id(),
                                     .principal = principal_of(actor::kReviewer),
                                     .code = code,
                                     .expected_version = std::nullopt,
                                     .event = propose_programme(kTransport, "农村公路日常养护")});
  };
  REQUIRE(send("A").ok());
  REQUIRE(send("B").ok());
  CHECK(engine.get_programme("B")->similar_size() == 0);
}

TEST_CASE("a line is created and submitted only under an admitted programme of its own",
          "[library]") {
  County county(fresh_database(), County::Library::kRequired);
  const LineContent road = road_maintenance_request();

  auto outside = county.act(actor::kTransportUnit, "A", create_line(road));
  CHECK(outside.status().code() == Code::kInvalidArgument);
  CHECK(outside.status().field() == "content.programme_code");
  CHECK_THAT(outside.status().message(), Catch::Contains("not in the project library"));

  REQUIRE(propose(county, "JT-ROAD-001", "农村公路日常养护").ok());
  auto candidate = county.act(actor::kTransportUnit, "A", create_line(road));
  CHECK(candidate.status().code() == Code::kFailedPrecondition);
  CHECK_THAT(candidate.status().message(),
             Catch::Contains("programme JT-ROAD-001 is candidate: a line is created only under "
                             "an admitted programme"));
  REQUIRE(county.programme(actor::kReviewer, "JT-ROAD-001", admit_programme()).ok());

  SECTION("another department's programme") {
    REQUIRE(propose(county, "JY-001", "校舍维修", actor::kEducationUnit, kEducation).ok());
    REQUIRE(county.programme(actor::kReviewer, "JY-001", admit_programme()).ok());
    LineContent foreign = road;
    foreign.set_programme_code("JY-001");
    auto refused = county.act(actor::kTransportUnit, "A", create_line(foreign));
    CHECK(refused.status().field() == "content.programme_code");
    CHECK_THAT(refused.status().message(), Catch::Contains("belongs to 县教育局"));
  }
  SECTION("another category") {
    LineContent basic = road;
    basic.set_category(zbb::v1::CATEGORY_BASIC);
    CHECK(county.act(actor::kTransportUnit, "A", create_line(basic)).status().field() ==
          "content.category");
  }
  SECTION("retired after the line was created: no submission, the line running goes on") {
    county.create("RUNNING", road);
    county.drive_to("RUNNING", s::kExecuting);
    county.create("A", road);
    REQUIRE(county.programme(actor::kReviewer, "JT-ROAD-001", retire_programme("撤销")).ok());
    auto submitted = county.act(actor::kTransportUnit, "A", submit_line());
    CHECK(submitted.status().code() == Code::kFailedPrecondition);
    CHECK_THAT(submitted.status().message(),
               Catch::Contains("programme JT-ROAD-001 is retired: a line is submitted only"));
    CHECK(county.state("A") == s::kDraft);
    CHECK(county.act(actor::kTreasury, "RUNNING", record_spending(100'00, "PAY-1")).ok());
    CHECK(county.act(actor::kTransportUnit, "B", create_line(road)).status().code() ==
          Code::kFailedPrecondition);
  }
  SECTION("admitted, of its department and category: created and submitted") {
    county.create("A", road);
    CHECK(county.act(actor::kTransportUnit, "A", submit_line()).ok());
  }
}

TEST_CASE("without require_library any programme code will do", "[library]") {
  County county(fresh_database(), County::Library::kNotRequired);
  CHECK(county.act(actor::kTransportUnit, "A", create_line(road_maintenance_request())).ok());
  CHECK(county.act(actor::kTransportUnit, "A", submit_line()).ok());
}

TEST_CASE("programmes are listed by department and status, a page at a time", "[library]") {
  County county;
  int from = 0;
  for (const auto* code : {"JT-3", "JT-1", "JT-2"})
    REQUIRE(propose(county, code, han(from += 100, 8)).ok());
  REQUIRE(propose(county, "JY-1", "校舍维修", actor::kEducationUnit, kEducation).ok());
  REQUIRE(county.programme(actor::kReviewer, "JT-2", admit_programme()).ok());
  auto transport = county.store->list_programmes({.department = kTransport}, "", 10);
  REQUIRE(transport.ok());
  REQUIRE(transport->size() == 3);
  CHECK((*transport)[0].code() == "JT-1");
  CHECK((*transport)[2].code() == "JT-3");
  auto admitted =
      county.store->list_programmes({.status = zbb::v1::PROGRAMME_STATUS_ADMITTED}, "", 10);
  REQUIRE(admitted->size() == 1);
  CHECK(admitted->front().code() == "JT-2");
  auto page = county.store->list_programmes({}, "JT-2", 1);
  REQUIRE(page->size() == 1);
  CHECK(page->front().code() == "JT-3");
}

TEST_CASE("audit verification checks the library's chains with the lines'", "[library]") {
  const TemporaryDatabase database("audit");
  const std::string& path = database.path;
  {
    County county(path);
    REQUIRE(propose(county, "JT-ROAD-001", "农村公路日常养护").ok());
    REQUIRE(county.programme(actor::kReviewer, "JT-ROAD-001", admit_programme()).ok());
    REQUIRE(propose(county, "JT-BRIDGE-002", "危桥改造").ok());
    auto intact = verify_audit(*county.store, "");
    REQUIRE(intact.ok());
    CHECK_FALSE(intact->first_broken);
    CHECK(intact->programmes_checked == 2);
    CHECK(intact->programme_events_checked == 3);
  }
  SECTION("an edited event") {
    {
      // A tamperer with the file: the append-only trigger is no obstacle to him.
      soci::session raw(soci::sqlite3, path);
      raw << "DROP TRIGGER programme_events_append_only_update";
      raw << "UPDATE programme_events SET actor = 'reviewer.ma' "
             "WHERE code = 'JT-ROAD-001' AND programme_sequence = 2";
    }
    County reopened(path);
    auto tampered = verify_audit(*reopened.store, "");
    REQUIRE(tampered.ok());
    REQUIRE(tampered->first_broken);
    CHECK(tampered->first_broken->programme);
    CHECK(tampered->first_broken->line_id == "JT-ROAD-001");
    CHECK(tampered->first_broken->line_sequence == 2);
    CHECK_THAT(tampered->first_broken->reason, Catch::Contains("do not match its hash"));
  }
  SECTION("a record deleted") {
    {
      soci::session raw(soci::sqlite3, path);
      raw << "DELETE FROM programmes WHERE code = 'JT-BRIDGE-002'";
    }
    County reopened(path);
    auto tampered = verify_audit(*reopened.store, "");
    REQUIRE(tampered.ok());
    REQUIRE(tampered->first_broken);
    CHECK(tampered->first_broken->line_id == "JT-BRIDGE-002");
    CHECK(tampered->first_broken->reason == "the programme has events but no record");
  }
}

TEST_CASE("the library outlives the server: a reopened database has every programme", "[library]") {
  const TemporaryDatabase database("reopened");
  const std::string& path = database.path;
  {
    County county(path);
    REQUIRE(propose(county, "JT-ROAD-001", "农村公路日常养护").ok());
    REQUIRE(county.programme(actor::kReviewer, "JT-ROAD-001", admit_programme()).ok());
  }
  County reopened(path, County::Library::kRequired);
  CHECK(programme(reopened, "JT-ROAD-001").status() == zbb::v1::PROGRAMME_STATUS_ADMITTED);
  CHECK(reopened.act(actor::kTransportUnit, "A", create_line(road_maintenance_request())).ok());
}

}  // namespace zbb::testing
