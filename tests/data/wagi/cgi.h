// Small helpers shared by the WAGI test guests (tests/data/wagi/*.c): query
// parameters, whole writes to stdout, FNV-1a. Guests get the request as a WAGI
// host gives it: CGI variables in the environment, the body on stdin; they
// answer on stdout with header lines, an empty line, then the body.
#pragma once
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline int cgi_hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The value of parameter `name` in QUERY_STRING (`a=1&b=2`), percent-decoded
// ('+' is a space), at most cap-1 bytes, NUL-terminated in out. Returns 1 when
// the parameter is present (`?name` alone gives ""), 0 otherwise.
static inline int query_param(const char* name, char* out, size_t cap) {
  const char* q = getenv("QUERY_STRING");
  size_t name_len = strlen(name);
  for (const char* p = q; p && *p;) {
    const char* end = strchr(p, '&');
    if (!end) end = p + strlen(p);
    const char* eq = memchr(p, '=', (size_t)(end - p));
    const char* key_end = eq ? eq : end;
    if ((size_t)(key_end - p) == name_len && !memcmp(p, name, name_len)) {
      size_t n = 0;
      for (const char* s = eq ? eq + 1 : end; s < end && n + 1 < cap; ++s) {
        int c = (unsigned char)*s;
        if (c == '+') {
          c = ' ';
        } else if (c == '%' && end - s >= 3 && cgi_hex(s[1]) >= 0 && cgi_hex(s[2]) >= 0) {
          c = cgi_hex(s[1]) * 16 + cgi_hex(s[2]);
          s += 2;
        }
        out[n++] = (char)c;
      }
      if (cap) out[n] = 0;
      return 1;
    }
    p = *end ? end + 1 : end;
  }
  if (cap) out[0] = 0;
  return 0;
}

// Writes all n bytes to fd (stdout: 1, stderr: 2); 0 on success.
static inline int write_all(int fd, const void* data, size_t n) {
  const char* p = data;
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w <= 0) return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

static inline int write_str(int fd, const char* s) { return write_all(fd, s, strlen(s)); }

// FNV-1a, 64 bits (as examples/hello-wagi/echo.rs): start from FNV_OFFSET.
#define FNV_OFFSET 0xcbf29ce484222325ull
static inline uint64_t fnv1a(uint64_t h, const void* data, size_t n) {
  const unsigned char* p = data;
  for (size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 0x100000001b3ull;
  }
  return h;
}
