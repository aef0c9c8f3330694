#include "tests/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/county_fixture.h"

namespace zbb::testing {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<char*> argv_of(const std::string& program, std::vector<std::string>& args) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(program.c_str()));
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  return argv;
}

// Reads the child's stdout until zbbd names its address; the line is
// "zbbd listening on 127.0.0.1:PORT".
std::string read_listening_address(int fd) {
  std::string seen;
  char c;
  while (::read(fd, &c, 1) == 1) {
    if (c != '\n') {
      seen += c;
      continue;
    }
    const std::string marker = "listening on ";
    if (auto at = seen.find(marker); at != std::string::npos)
      return seen.substr(at + marker.size());
    seen.clear();
  }
  return "";
}

}  // namespace

const std::vector<TestPrincipal>& test_principals() {
  static const std::vector<TestPrincipal> principals = {
      {actor::kTransportUnit, "tok-transport-unit-0001", {"unit:" + kTransport}},
      {actor::kEducationUnit, "tok-education-unit-0002", {"unit:" + kEducation}},
      {actor::kReviewer, "tok-reviewer-wang-00003", {"reviewer"}},
      {actor::kSecondReviewer, "tok-reviewer-ma-000004", {"reviewer"}},
      {actor::kRankingOffice, "tok-ranking-he-0000005", {"reviewer"}},
      {actor::kDepartmentHead, "tok-approver-zhao-0006", {"approver:department_head"}},
      {actor::kBudgetSection, "tok-approver-qian-0007", {"approver:budget_section"}},
      {actor::kPerformanceSection, "tok-approver-sun-00008", {"approver:performance_section"}},
      {actor::kBureauHead, "tok-approver-zhou-0009", {"approver:bureau_head"}},
      {actor::kTreasury, "tok-integrator-treasury", {"integrator"}},
      {actor::kEvaluationOffice, "tok-evaluation-chen-10", {"reviewer"}},
      {"audit.supervisor.lin", "tok-supervisor-lin-0011", {"supervisor"}},
      {actor::kThirdParty, "tok-evaluator-xu-000013", {"evaluator"}},
      {"unit.transport.head",
       "tok-transport-head-0012",
       {"unit:" + kTransport, "approver:department_head"}},
  };
  return principals;
}

const std::string& token_of(const std::string& name) {
  for (const auto& p : test_principals())
    if (p.name == name) return p.token;
  FAIL("no test principal " << name);
  throw std::logic_error("unreachable");
}

TemporaryDirectory::TemporaryDirectory() {
  static std::atomic<int> counter{0};
  path_ = (std::filesystem::temp_directory_path() /
           ("zbb-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter)))
              .string();
  std::filesystem::create_directories(path_);
}

TemporaryDirectory::~TemporaryDirectory() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::vector<std::string> shipped_policy_args() { return {"--policy", default_policy_path()}; }

ServerProcess::ServerProcess(const std::string& directory, const std::string& database,
                             std::vector<std::string> extra_args) {
  nlohmann::json principals = nlohmann::json::array();
  for (const auto& p : test_principals())
    principals.push_back({{"name", p.name}, {"roles", p.roles}, {"token", p.token}});
  const std::string tokens_path = directory + "/tokens.json";
  std::ofstream(tokens_path) << nlohmann::json{{"principals", principals}}.dump(2);
  log_path_ = directory + "/zbbd.log";

  std::vector<std::string> args = {"--listen", "127.0.0.1:0", "--database",
                                   database,   "--tokens",    tokens_path};
  // The shipped policy as it is when the test names it; else as the County runs it, without
  // requiring the project library, so that a test creates lines of any programme code.
  if (std::find(extra_args.begin(), extra_args.end(), "--policy") == extra_args.end()) {
    const std::string policy_path = directory + "/policy.textproto";
    std::ifstream shipped(default_policy_path());
    std::string text((std::istreambuf_iterator<char>(shipped)), std::istreambuf_iterator<char>());
    const std::string required = "require_library: true";
    const auto at = text.find(required);
    REQUIRE(at != std::string::npos);
    text.replace(at, required.size(), "require_library: false");
    std::ofstream(policy_path) << text;
    args.insert(args.end(), {"--policy", policy_path});
  }
  // The Q2 round runs by itself only in tests that ask for it: it would judge lines mid-test.
  if (std::find(extra_args.begin(), extra_args.end(), "--scheduler-seconds") == extra_args.end())
    extra_args.insert(extra_args.end(), {"--scheduler-seconds", "0"});
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  const std::string program = zbbd_path();
  auto argv = argv_of(program, args);

  int out[2];
  REQUIRE(::pipe(out) == 0);
  pid_ = ::fork();
  REQUIRE(pid_ >= 0);
  if (pid_ == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    const int log = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(log, STDERR_FILENO);
    ::close(out[0]);
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  address_ = read_listening_address(out[0]);
  ::close(out[0]);
  if (address_.empty()) {
    const int status = wait();
    FAIL("zbbd did not start (exit " << status << "):\n" << log());
  }
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) terminate();
}

std::shared_ptr<grpc::Channel> ServerProcess::channel() const {
  return grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
}

int ServerProcess::terminate() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  return wait();
}

void ServerProcess::kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  wait();
}

int ServerProcess::wait() {
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string ServerProcess::log() const { return read_file(log_path_); }

ProgramRun run_program(const std::string& program, const std::vector<std::string>& arguments) {
  TemporaryDirectory capture;
  const std::string out_path = capture.path() + "/out";
  const std::string err_path = capture.path() + "/err";
  std::vector<std::string> args = arguments;
  auto argv = argv_of(program, args);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int null = ::open("/dev/null", O_RDONLY);
    ::dup2(null, STDIN_FILENO);
    ::dup2(out, STDOUT_FILENO);
    ::dup2(err, STDERR_FILENO);
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ProgramRun run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = read_file(out_path);
  run.err = read_file(err_path);
  return run;
}

std::string zbbd_path() { return ZBB_ZBBD_PATH; }
std::string zbbctl_path() { return ZBB_ZBBCTL_PATH; }

ProgramRun Ctl::operator()(const std::string& principal, std::vector<std::string> args) const {
  std::vector<std::string> full = {"--server", address, "--token", token_of(principal)};
  full.insert(full.end(), args.begin(), args.end());
  return run_program(zbbctl_path(), full);
}

}  // namespace zbb::testing
