// A TCP echo server on the listening socket the host pre-opened
// (`wasmops run --listen HOST:PORT`): accepts CONNECTIONS connections (argv[2],
// default 1) on fd argv[1] (default 3), sends back everything it receives
// until the peer shuts down its side, then closes. Progress on stderr.
#include <stdlib.h>

#include "wasi_raw.h"

static int echo(int32_t fd) {
  char buf[4096];
  for (;;) {
    __wasi_iovec_t in = {(uint8_t*)buf, sizeof buf};
    size_t got = 0;
    uint16_t roflags = 0;
    int32_t e = raw_sock_recv(fd, &in, 1, 0, &got, &roflags);
    if (e) {
      fprintf(stderr, "echo: sock_recv: %d %s\n", e, errno_name(e));
      return 1;
    }
    if (got == 0) return 0;  // the peer is done
    for (size_t off = 0; off < got;) {
      __wasi_ciovec_t out = {(const uint8_t*)buf + off, got - off};
      size_t sent = 0;
      e = raw_sock_send(fd, &out, 1, 0, &sent);
      if (e) {
        fprintf(stderr, "echo: sock_send: %d %s\n", e, errno_name(e));
        return 1;
      }
      off += sent;
    }
  }
}

int main(int argc, char** argv) {
  const int32_t listener = argc > 1 ? atoi(argv[1]) : 3;
  const int connections = argc > 2 ? atoi(argv[2]) : 1;
  for (int i = 0; i < connections; ++i) {
    uint32_t conn = 0;
    int32_t e = raw_sock_accept(listener, 0, &conn);
    if (e) {
      fprintf(stderr, "echo: sock_accept on fd %d: %d %s\n", listener, e, errno_name(e));
      return 1;
    }
    const int rc = echo((int32_t)conn);
    e = raw_sock_shutdown((int32_t)conn, __WASI_SDFLAGS_RD | __WASI_SDFLAGS_WR);
    if (e && e != __WASI_ERRNO_NOTCONN) fprintf(stderr, "echo: sock_shutdown: %d %s\n", e, errno_name(e));
    raw_fd_close((int32_t)conn);
    if (rc) return rc;
    fprintf(stderr, "echo: connection %d done\n", i + 1);
  }
  return 0;
}
