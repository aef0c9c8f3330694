#pragma once

// zbbctl programme …: the project library — propose, admit and retire a programme, show one
// with its history, list them.

#include <string>

#include "adapters/cli/zbbctl_commands.h"
#include "zbb/v1/programme.pb.h"
#include "zbb/v1/query.pb.h"

namespace zbb::cli {

struct ProgrammeOptions {
  std::string code;
  std::string department;   // propose
  std::string title;        // propose
  std::string category;     // propose: "basic", "project" or "department_overall"
  std::string description;  // propose
  std::string comment;      // admit
  std::string reason;       // retire
  std::string request_id;   // empty: a fresh one
};
Outcome run_propose_programme(Client& client, const ProgrammeOptions& options,
                              const Output& output);
Outcome run_admit_programme(Client& client, const ProgrammeOptions& options, const Output& output);
Outcome run_retire_programme(Client& client, const ProgrammeOptions& options, const Output& output);

// The programme's fields, the titles flagged alike, then its history.
Outcome run_show_programme(Client& client, const std::string& code, const Output& output);

struct ProgrammeListOptions {
  std::string department;
  std::string status;  // "candidate", "admitted", "retired" or empty
  int page_size = 0;
  std::string page_token;
  bool all = false;
};
Outcome run_list_programmes(Client& client, const ProgrammeListOptions& options,
                            const Output& output);

// What zbbctl prints (zbbctl_text_test): one programme's fields; a table of programmes.
std::string programme_details(const zbb::v1::Programme& programme);
std::string programmes_table(const zbb::v1::ListProgrammesResponse& programmes);

}  // namespace zbb::cli
