#include "oci/DockerConfig.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/TempDir.h"

namespace wasmops::oci {
namespace {

using test::TempDir;

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(DockerConfig, DefaultPathHonoursDockerConfig) {
  std::string saved = std::getenv("DOCKER_CONFIG") ? std::getenv("DOCKER_CONFIG") : "";
  ::setenv("DOCKER_CONFIG", "/somewhere", 1);
  EXPECT_EQ(DockerConfig::defaultPath(), "/somewhere/config.json");
  ::unsetenv("DOCKER_CONFIG");
  std::string home = std::getenv("HOME") ? std::getenv("HOME") : ".";
  EXPECT_EQ(DockerConfig::defaultPath(), home + "/.docker/config.json");
  if (!saved.empty()) ::setenv("DOCKER_CONFIG", saved.c_str(), 1);
}

TEST(DockerConfig, MissingFileIsEmpty) {
  TempDir dir;
  auto config = DockerConfig::load(dir.path() + "/none/config.json");
  ASSERT_TRUE(config);
  EXPECT_FALSE(*config->get("ghcr.io"));
}

TEST(DockerConfig, StoresBase64AuthsAtomicallyWithMode0600AndKeepsOtherFields) {
  TempDir dir;
  std::string path = dir.path() + "/docker/config.json";
  std::filesystem::create_directories(dir.path() + "/docker");
  std::ofstream(path) << R"({"auths":{"other.io":{"auth":"eDp5"}},"psFormat":"table {{.ID}}"})";
  auto config = DockerConfig::load(path);
  ASSERT_TRUE(config) << config.error().message;
  ASSERT_TRUE(config->store("localhost:5000", {"alice", "pa:ss"}));
  std::string text = slurp(path);
  EXPECT_NE(text.find("\"psFormat\""), std::string::npos);
  EXPECT_NE(text.find("\"other.io\""), std::string::npos);
  EXPECT_NE(text.find("YWxpY2U6cGE6c3M="), std::string::npos);  // alice:pa:ss
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  auto again = DockerConfig::load(path);
  auto creds = again->get("localhost:5000");
  ASSERT_TRUE(creds && *creds);
  EXPECT_EQ((*creds)->username, "alice");
  EXPECT_EQ((*creds)->password, "pa:ss");  // split at the first ':'
  EXPECT_EQ((*again->get("other.io"))->username, "x");

  EXPECT_TRUE(*again->erase("localhost:5000"));
  EXPECT_FALSE(*again->erase("localhost:5000"));
  EXPECT_FALSE(*DockerConfig::load(path)->get("localhost:5000"));
}

TEST(DockerConfig, DockerHubUsesDockersKeyAndSchemesAreIgnored) {
  TempDir dir;
  std::string path = dir.path() + "/config.json";
  std::ofstream(path)
      << R"({"auths":{"https://index.docker.io/v1/":{"auth":"dTpw"},"https://ghcr.io":{"auth":"Zzpo"}}})";
  auto config = DockerConfig::load(path);
  EXPECT_EQ((*config->get("docker.io"))->username, "u");
  EXPECT_EQ((*config->get("ghcr.io"))->username, "g");
  ASSERT_TRUE(config->store("docker.io", {"new", "pw"}));
  EXPECT_NE(slurp(path).find("\"https://index.docker.io/v1/\""), std::string::npos);
}

TEST(DockerConfig, MalformedFilesAreLocatedErrors) {
  TempDir dir;
  std::string path = dir.path() + "/config.json";
  std::ofstream(path) << "{not json";
  auto bad = DockerConfig::load(path);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().file, path);
  std::ofstream(path, std::ios::trunc) << R"({"auths":{"ghcr.io":{"auth":"!!!"}}})";
  auto config = DockerConfig::load(path);
  ASSERT_TRUE(config);
  auto creds = config->get("ghcr.io");
  ASSERT_FALSE(creds);
  EXPECT_NE(creds.error().message.find("not base64"), std::string::npos);
}

// A credential helper written as a shell script that keeps one secret in a
// file, put first on PATH: exercises the real get/store/erase protocol.
class CredentialHelperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    bin_ = dir_.path() + "/bin";
    std::filesystem::create_directories(bin_);
    std::string script = bin_ + "/docker-credential-testhelper";
    std::ofstream(script) << "#!/bin/sh\n"
                             "store=\"$(dirname \"$0\")/secret\"\n"
                             "case \"$1\" in\n"
                             "  get) read server; if [ -f \"$store\" ]; then cat \"$store\"; else echo 'credentials "
                             "not found in native keychain'; exit 1; fi;;\n"
                             "  store) cat > \"$store\";;\n"
                             "  erase) rm -f \"$store\";;\n"
                             "  *) exit 2;;\n"
                             "esac\n";
    std::filesystem::permissions(script, std::filesystem::perms::owner_all);
    oldPath_ = std::getenv("PATH") ? std::getenv("PATH") : "";
    ::setenv("PATH", (bin_ + ":" + oldPath_).c_str(), 1);
  }
  void TearDown() override { ::setenv("PATH", oldPath_.c_str(), 1); }

  TempDir dir_;
  std::string bin_;
  std::string oldPath_;
};

TEST_F(CredentialHelperTest, CredsStoreKeepsTheSecretOutOfTheFile) {
  std::string path = dir_.path() + "/config.json";
  std::ofstream(path) << R"({"credsStore":"testhelper"})";
  auto config = DockerConfig::load(path);
  EXPECT_EQ(config->helperFor("ghcr.io"), "testhelper");
  EXPECT_FALSE(*config->get("ghcr.io"));  // "credentials not found"
  ASSERT_TRUE(config->store("ghcr.io", {"bob", "tok"}));
  EXPECT_EQ(slurp(path).find("auth\""), std::string::npos);  // no secret in the file
  EXPECT_NE(slurp(bin_ + "/secret").find("\"Secret\":\"tok\""), std::string::npos);
  auto creds = DockerConfig::load(path)->get("ghcr.io");
  ASSERT_TRUE(creds && *creds) << (creds ? "none" : creds.error().message);
  EXPECT_EQ((*creds)->username, "bob");
  EXPECT_EQ((*creds)->password, "tok");
  ASSERT_TRUE(config->erase("ghcr.io"));
  EXPECT_FALSE(std::filesystem::exists(bin_ + "/secret"));
}

TEST_F(CredentialHelperTest, CredHelpersPerRegistryAndMissingHelpers) {
  std::string path = dir_.path() + "/config.json";
  std::ofstream(path) << R"({"credHelpers":{"ghcr.io":"testhelper","quay.io":"absent"},)"
                         R"("auths":{"quay.io":{"auth":"cTpw"}}})";
  auto config = DockerConfig::load(path);
  EXPECT_EQ(config->helperFor("ghcr.io"), "testhelper");
  EXPECT_EQ(config->helperFor("docker.io"), "");
  // A configured helper that is not installed: reading falls back to the
  // file as Docker does; storing is refused rather than downgraded.
  EXPECT_EQ((*config->get("quay.io"))->username, "q");
  auto stored = config->store("quay.io", {"q", "p"});
  ASSERT_FALSE(stored);
  EXPECT_NE(stored.error().message.find("docker-credential-absent"), std::string::npos);
}

}  // namespace
}  // namespace wasmops::oci
