#include "base/Sha256.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>

namespace wasmops {

struct Sha256::State {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~State() { EVP_MD_CTX_free(ctx); }
};

namespace {
// OpenSSL would otherwise read openssl.cnf on first use, a few milliseconds
// of every start; hashing needs no configuration. This also keeps OpenSSL
// from loading it later, so oci/CurlLibrary loads it explicitly for TLS.
const bool kCryptoInitialised = OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, nullptr) == 1;
}  // namespace

Sha256::Sha256() : state_(std::make_unique<State>()) {
  (void)kCryptoInitialised; EVP_DigestInit_ex(state_->ctx, EVP_sha256(), nullptr); }
Sha256::~Sha256() = default;

void Sha256::update(std::span<const std::uint8_t> bytes) { EVP_DigestUpdate(state_->ctx, bytes.data(), bytes.size()); }

std::string Sha256::finishHex() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int len = 0;
  EVP_DigestFinal_ex(state_->ctx, digest.data(), &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(static_cast<std::size_t>(len) * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

std::string sha256Hex(std::span<const std::uint8_t> bytes) {
  Sha256 h;
  h.update(bytes);
  return h.finishHex();
}

}  // namespace wasmops
