// The `hello` component of examples/hello-wagi: a WAGI handler (a WASI preview1
// command run once per request, CGI-style) that answers `Hello, world!` as
// text/plain, or `Hello, NAME!` for `?name=NAME`. The plain answer is the
// benchmark's body (bench/http.sh compares it with nginx returning the same
// bytes), so that path does one getenv and one write.
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HEADERS "Content-Type: text/plain\n\n"
#define MAX_NAME 64  // longer names are cut here

static int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Copies the percent-decoded value of `name=` from the query string into out
// (at most MAX_NAME bytes, control characters left out); returns its length.
static size_t query_name(const char* query, char* out) {
  for (const char* p = query; p && *p;) {
    const char* end = strchr(p, '&');
    if (!end) end = p + strlen(p);
    if (end - p >= 5 && !memcmp(p, "name=", 5)) {
      size_t n = 0;
      for (const char* s = p + 5; s < end && n < MAX_NAME; ++s) {
        int c = (unsigned char)*s;
        if (c == '+') {
          c = ' ';
        } else if (c == '%' && end - s >= 3 && hex(s[1]) >= 0 && hex(s[2]) >= 0) {
          c = hex(s[1]) * 16 + hex(s[2]);
          s += 2;
        }
        if (c >= 0x20 && c != 0x7f) out[n++] = (char)c;
      }
      return n;
    }
    p = *end ? end + 1 : end;
  }
  return 0;
}

static void write_all(const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = write(1, p, n);
    if (w <= 0) return;
    p += w;
    n -= (size_t)w;
  }
}

int main(void) {
  static const char plain[] = HEADERS "Hello, world!\n";
  char name[MAX_NAME];
  size_t n = query_name(getenv("QUERY_STRING"), name);
  if (n == 0) {
    write_all(plain, sizeof plain - 1);
    return 0;
  }
  char out[sizeof HEADERS + MAX_NAME + 16];
  size_t len = 0;
  memcpy(out, HEADERS "Hello, ", sizeof HEADERS - 1 + 7);
  len = sizeof HEADERS - 1 + 7;
  memcpy(out + len, name, n);
  len += n;
  memcpy(out + len, "!\n", 2);
  len += 2;
  write_all(out, len);
  return 0;
}
