// WAGI host tests: request bodies arrive whole on stdin (length and FNV-1a back), and large responses (`?size=N`).
//
// Without `size`: reads stdin to its end and answers 200 text/plain
//   length=N
//   fnv1a=HHHHHHHHHHHHHHHH        (FNV-1a 64 of the body, 16 lower-case hex digits)
//   content_length=CONTENT_LENGTH (the variable as the host set it; empty if unset)
// With `?size=N`: stdin is not read; answers 200 application/octet-stream with
// an N-byte body whose byte I is 'a' + I % 26 ("abc...zabc..."), so a test can
// rebuild it.
#include <stdio.h>

#include "cgi.h"

int main(void) {
  char arg[32];
  if (query_param("size", arg, sizeof arg)) {
    char* end = NULL;
    unsigned long long size = strtoull(arg, &end, 10);
    if (!*arg || *end) {
      write_str(1, "Status: 400 Bad Request\nContent-Type: text/plain\n\nsize must be a number\n");
      return 0;
    }
    write_str(1, "Content-Type: application/octet-stream\n\n");
    static char chunk[26 * 2521];  // a multiple of 26, so every chunk starts with 'a'
    for (size_t i = 0; i < sizeof chunk; ++i) chunk[i] = (char)('a' + i % 26);
    for (unsigned long long left = size; left > 0;) {
      size_t n = left < sizeof chunk ? (size_t)left : sizeof chunk;
      if (write_all(1, chunk, n)) return 1;
      left -= n;
    }
    return 0;
  }

  static char buf[65536];
  uint64_t hash = FNV_OFFSET;
  unsigned long long length = 0;
  for (;;) {
    ssize_t n = read(0, buf, sizeof buf);
    if (n < 0) {
      write_str(1, "Status: 500 Internal Server Error\nContent-Type: text/plain\n\nreading stdin failed\n");
      return 1;
    }
    if (n == 0) break;
    hash = fnv1a(hash, buf, (size_t)n);
    length += (unsigned long long)n;
  }
  const char* cl = getenv("CONTENT_LENGTH");
  printf("Content-Type: text/plain\n\nlength=%llu\nfnv1a=%016llx\ncontent_length=%s\n", length,
         (unsigned long long)hash, cl ? cl : "");
  return 0;
}
