// Money in fen: overflow-checked arithmetic, basis points and yuan for people; and the clock.

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <limits>
#include <optional>
#include <string>

#include "engine/clock.h"
#include "engine/money.h"

namespace zbb {
namespace {

constexpr Fen kMax = std::numeric_limits<Fen>::max();
constexpr Fen kMin = std::numeric_limits<Fen>::min();

// 2026-06-30T08:00:00Z in milliseconds since the epoch.
constexpr std::int64_t kJune30At8 = 1'782'806'400'000;

// --- checked_add ---

TEST_CASE("checked_add adds amounts that fit", "[money]") {
  const auto sum = checked_add(1'250'000'00, 860'000'00);

  REQUIRE(sum == std::optional<Fen>(2'110'000'00));
}

TEST_CASE("checked_add reaches INT64_MAX exactly", "[money]") {
  const auto sum = checked_add(kMax - 1, 1);

  REQUIRE(sum == std::optional<Fen>(kMax));
}

TEST_CASE("checked_add refuses one fen past INT64_MAX", "[money]") {
  const auto sum = checked_add(kMax, 1);

  REQUIRE_FALSE(sum.has_value());
}

TEST_CASE("checked_add reaches INT64_MIN exactly", "[money]") {
  const auto sum = checked_add(kMin + 1, -1);

  REQUIRE(sum == std::optional<Fen>(kMin));
}

TEST_CASE("checked_add refuses one fen below INT64_MIN", "[money]") {
  const auto sum = checked_add(kMin, -1);

  REQUIRE_FALSE(sum.has_value());
}

TEST_CASE("checked_add of the two extremes is minus one fen", "[money]") {
  const auto sum = checked_add(kMin, kMax);

  REQUIRE(sum == std::optional<Fen>(-1));
}

// --- checked_mul ---

TEST_CASE("checked_mul multiplies a quantity by a unit price", "[money]") {
  const auto product = checked_mul(5000, 150'00);

  REQUIRE(product == std::optional<Fen>(750'000'00));
}

TEST_CASE("checked_mul keeps INT64_MAX times one", "[money]") {
  const auto product = checked_mul(1, kMax);

  REQUIRE(product == std::optional<Fen>(kMax));
}

TEST_CASE("checked_mul accepts the largest square below INT64_MAX", "[money]") {
  // 3,037,000,499² = 9,223,372,030,926,249,001 < INT64_MAX < 3,037,000,500².
  const auto product = checked_mul(3'037'000'499, 3'037'000'499);

  REQUIRE(product == std::optional<Fen>(9'223'372'030'926'249'001));
}

TEST_CASE("checked_mul refuses the smallest square above INT64_MAX", "[money]") {
  const auto product = checked_mul(3'037'000'500, 3'037'000'500);

  REQUIRE_FALSE(product.has_value());
}

TEST_CASE("checked_mul refuses INT64_MAX times two", "[money]") {
  const auto product = checked_mul(2, kMax);

  REQUIRE_FALSE(product.has_value());
}

TEST_CASE("checked_mul refuses negating INT64_MIN", "[money]") {
  const auto product = checked_mul(-1, kMin);

  REQUIRE_FALSE(product.has_value());
}

TEST_CASE("checked_mul negates INT64_MAX", "[money]") {
  const auto product = checked_mul(-1, kMax);

  REQUIRE(product == std::optional<Fen>(-kMax));
}

// --- basis_points ---

TEST_CASE("basis_points of a half is 5000", "[money]") {
  REQUIRE(basis_points(625'000'00, 1'250'000'00) == 5000);
}

TEST_CASE("basis_points rounds a positive fraction toward zero", "[money]") {
  // 2/3 = 6666.67 bp.
  REQUIRE(basis_points(2, 3) == 6666);
}

TEST_CASE("basis_points rounds a negative fraction toward zero", "[money]") {
  // -2/3 = -6666.67 bp.
  REQUIRE(basis_points(-2, 3) == -6666);
}

TEST_CASE("basis_points of anything over a zero whole is zero", "[money]") {
  REQUIRE(basis_points(1'000'00, 0) == 0);
  REQUIRE(basis_points(0, 0) == 0);
}

TEST_CASE("basis_points of a zero part is zero", "[money]") {
  REQUIRE(basis_points(0, 1'250'000'00) == 0);
}

TEST_CASE("basis_points of amounts near 9e18 uses a wide intermediate", "[money]") {
  // part × 10000 overflows int64 for these amounts.
  const Fen whole = 9'000'000'000'000'000'000;

  REQUIRE(basis_points(whole, whole) == 10000);
  REQUIRE(basis_points(whole / 2, whole) == 5000);
  REQUIRE(basis_points(whole / 3, whole) == 3333);
}

TEST_CASE("basis_points of INT64_MAX over itself is 10000", "[money]") {
  REQUIRE(basis_points(kMax, kMax) == 10000);
}

TEST_CASE("basis_points may exceed 10000 when the part is larger", "[money]") {
  REQUIRE(basis_points(3, 2) == 15000);
}

// --- format_yuan ---

TEST_CASE("format_yuan writes zero as 0.00", "[money]") { REQUIRE(format_yuan(0) == "0.00"); }

TEST_CASE("format_yuan writes a few fen with a leading zero yuan", "[money]") {
  REQUIRE(format_yuan(5) == "0.05");
}

TEST_CASE("format_yuan groups thousands with commas", "[money]") {
  REQUIRE(format_yuan(123456789) == "1,234,567.89");
}

TEST_CASE("format_yuan does not group fewer than four digits", "[money]") {
  REQUIRE(format_yuan(99999) == "999.99");
  REQUIRE(format_yuan(100000) == "1,000.00");
}

TEST_CASE("format_yuan writes a negative amount with a minus sign", "[money]") {
  REQUIRE(format_yuan(-123456789) == "-1,234,567.89");
  REQUIRE(format_yuan(-5) == "-0.05");
}

TEST_CASE("format_yuan writes INT64_MIN without overflowing", "[money]") {
  REQUIRE(format_yuan(kMin) == "-92,233,720,368,547,758.08");
}

TEST_CASE("format_yuan writes INT64_MAX", "[money]") {
  REQUIRE(format_yuan(kMax) == "92,233,720,368,547,758.07");
}

// --- clock ---

// Sets the process's TZ for one scope and puts the old value back.
class ScopedTimeZone {
 public:
  explicit ScopedTimeZone(const char* zone) {
    if (const char* old = std::getenv("TZ")) old_ = old;
    setenv("TZ", zone, 1);
    tzset();
  }
  ~ScopedTimeZone() {
    if (old_)
      setenv("TZ", old_->c_str(), 1);
    else
      unsetenv("TZ");
    tzset();
  }
  ScopedTimeZone(const ScopedTimeZone&) = delete;
  ScopedTimeZone& operator=(const ScopedTimeZone&) = delete;

 private:
  std::optional<std::string> old_;
};

TEST_CASE("format_timestamp writes a known instant in ISO 8601 UTC", "[clock]") {
  const Timestamp t = from_millis(kJune30At8);

  REQUIRE(format_timestamp(t) == "2026-06-30T08:00:00.000Z");
}

TEST_CASE("format_timestamp keeps the milliseconds", "[clock]") {
  const Timestamp t = from_millis(kJune30At8 + 7'123);

  REQUIRE(format_timestamp(t) == "2026-06-30T08:00:07.123Z");
}

TEST_CASE("format_timestamp writes the epoch", "[clock]") {
  REQUIRE(format_timestamp(from_millis(0)) == "1970-01-01T00:00:00.000Z");
}

TEST_CASE("format_timestamp writes UTC whatever the local time zone", "[clock]") {
  // A county finance bureau runs its servers on China Standard Time (UTC+8).
  const ScopedTimeZone china("CST-8");
  const Timestamp t = from_millis(kJune30At8);

  const std::string text = format_timestamp(t);

  REQUIRE(text == "2026-06-30T08:00:00.000Z");
}

TEST_CASE("to_millis and from_millis are inverse", "[clock]") {
  REQUIRE(to_millis(from_millis(kJune30At8 + 1)) == kJune30At8 + 1);
}

TEST_CASE("ManualClock starts at the instant it is given", "[clock]") {
  const ManualClock clock(from_millis(kJune30At8));

  REQUIRE(clock.now() == from_millis(kJune30At8));
}

TEST_CASE("ManualClock stays put until told to move", "[clock]") {
  const ManualClock clock(from_millis(kJune30At8));

  const Timestamp first = clock.now();
  const Timestamp second = clock.now();

  REQUIRE(first == second);
}

TEST_CASE("ManualClock set jumps to the given instant", "[clock]") {
  ManualClock clock(from_millis(kJune30At8));

  clock.set(from_millis(0));

  REQUIRE(clock.now() == from_millis(0));
}

TEST_CASE("ManualClock advance moves forward by the given duration", "[clock]") {
  ManualClock clock(from_millis(kJune30At8));

  clock.advance(std::chrono::milliseconds(1'500));
  clock.advance(std::chrono::hours(24));

  REQUIRE(clock.now() == from_millis(kJune30At8 + 1'500 + 86'400'000));
  REQUIRE(format_timestamp(clock.now()) == "2026-07-01T08:00:01.500Z");
}

TEST_CASE("ManualClock works through the Clock interface", "[clock]") {
  ManualClock manual(from_millis(kJune30At8));
  const Clock& clock = manual;

  manual.advance(std::chrono::milliseconds(1));

  REQUIRE(to_millis(clock.now()) == kJune30At8 + 1);
}

}  // namespace
}  // namespace zbb
