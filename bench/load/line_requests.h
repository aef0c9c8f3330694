#pragma once

// What the load sends: the budget request every bench line is created with and the events of
// its lifecycle, as zbb.v1 messages. Sizes follow a real county request (Chinese names, three
// cost items, four indicators), so rows and documents weigh what production ones do.

#include <cstdint>
#include <string>

#include "zbb/v1/events.pb.h"

namespace zbb::bench {

// The programme of every bench line, admitted to the project library before the first one.
inline constexpr char kBenchProgramme[] = "BENCH-ROAD";

// Rural road maintenance, 1,250,000.00 yuan in three cost items; two quantitative output
// indicators (what the Q2 checkpoint measures), a social effect and a satisfaction indicator.
zbb::v1::LineContent bench_line_content(const std::string& department,
                                        const std::string& programme_code, int fiscal_year);

// The Q2 checkpoint date of the shipped policy in `fiscal_year` ("YYYY-06-30").
std::string checkpoint_date(int fiscal_year);

zbb::v1::LineEvent create_event(const zbb::v1::LineContent& content);
zbb::v1::LineEvent submit_event();
zbb::v1::LineEvent start_target_review_event();
// The prior assessment the bench request needs: a line of a new programme above
// 1,000,000 yuan (the shipped policy's prior_assessment).
zbb::v1::LineEvent approving_assessment_event();
zbb::v1::LineEvent accept_targets_event();
zbb::v1::LineEvent fund_event(std::int64_t amount);
zbb::v1::LineEvent approve_event(const std::string& level, std::int64_t amount);
// A treasury payment of `amount` fen under the treasury's own reference.
zbb::v1::LineEvent spending_event(std::int64_t amount, const std::string& payment_ref);
zbb::v1::LineEvent indicator_progress_event(const std::string& indicator, double actual);
zbb::v1::LineEvent checkpoint_event(const std::string& as_of);
zbb::v1::LineEvent begin_evaluation_event();
// Every quantitative indicator of `content` reached its target; a satisfied survey.
zbb::v1::LineEvent self_evaluation_event(const zbb::v1::LineContent& content);
zbb::v1::LineEvent close_event();

}  // namespace zbb::bench
