#pragma once

// A real zbbd for end-to-end tests: started as its own process on a loopback port with a
// temporary SQLite file and token file, stopped (or killed) by the test.

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

namespace zbb::testing {

// The people of the test county and their bearer tokens.
struct TestPrincipal {
  std::string name;
  std::string token;
  std::vector<std::string> roles;
};
const std::vector<TestPrincipal>& test_principals();
// The token of the principal named `name`; fails the test when there is none.
const std::string& token_of(const std::string& name);

// A directory under the system temp dir, removed with everything in it at the end.
class TemporaryDirectory {
 public:
  TemporaryDirectory();
  ~TemporaryDirectory();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class ServerProcess {
 public:
  // Starts zbbd on 127.0.0.1 (port chosen by the system) over `database`, with a token file of
  // test_principals() written into `directory`, and the policy `extra_args` names
  // (shipped_policy_args()) or else the shipped one without library.require_library, written
  // into `directory` too. Returns once zbbd says it is listening.
  ServerProcess(const std::string& directory, const std::string& database,
                std::vector<std::string> extra_args = {});
  ~ServerProcess();  // SIGTERM and wait, if still running

  const std::string& address() const { return address_; }
  pid_t pid() const { return pid_; }
  std::shared_ptr<grpc::Channel> channel() const;

  // SIGTERM, then the exit status (as from waitpid's WEXITSTATUS; -1 when signalled).
  int terminate();
  // SIGKILL: no chance to clean up.
  void kill();
  // zbbd's log (stderr) so far.
  std::string log() const;

 private:
  int wait();

  pid_t pid_ = -1;
  std::string address_;
  std::string log_path_;
};

// The arguments that run zbbd under the shipped policy as it is: lines need admitted
// programmes of the project library.
std::vector<std::string> shipped_policy_args();

// Runs a program to completion with the arguments; returns its exit code and output.
struct ProgramRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};
ProgramRun run_program(const std::string& program, const std::vector<std::string>& args);

// Build outputs, from the build system.
std::string zbbd_path();
std::string zbbctl_path();

// zbbctl against a server, as a principal of the test token file.
struct Ctl {
  std::string address;
  ProgramRun operator()(const std::string& principal, std::vector<std::string> args) const;
};

}  // namespace zbb::testing
