// Sandbox probe for tests/cli/wasi_escape_test.py: runs filesystem operations
// through the raw WASI calls and prints one line per result:
//
//   LABEL: ERRNO NAME[ | detail]
//
// Usage: escape.wasm OP ARGS... [OP ARGS...]...  (several operations per run)
// Paths are relative to the directory fd (3, the first preopen, unless `fd N`
// changed it); "%XX" in a path is the byte 0xXX, so "a%00b" has a NUL in it.
// Words starting with '-' are printed as "arg: WORD" and skipped.
//
// Operations (A, B: paths; N, M: fd numbers):
//   read A, read-nofollow A          path_open for reading, then fd_read
//   create A, create-excl A          path_open CREAT|TRUNC / CREAT|EXCL, then fd_write
//   write A, append A, trunc A       path_open for writing (no flags / APPEND / TRUNC), then fd_write
//   escalate A                       path_open read-only, then write, set size, set times, add rights
//   open-all-rights A                path_open asking for every right, base and inheriting
//   stat A, lstat A                  path_filestat_get following / not following the last symlink
//   utimes A, lutimes A              path_filestat_set_times, following / not
//   unlink A, mkdir A, rmdir A, readlink A, readdir A
//   rename A B, symlink TARGET A, link A B, link-follow A B
//   cd A                             open directory A; later operations are relative to it
//   fd N                             later operations are relative to fd N
//   fdprobe N M                      fdstat, prestat, read, write, path_open, close on fds N..M
//   fdops N                          set times, set size, allocate, write on fd N
//   grow-rights, prestat, env, fopen A (wasi-libc's fopen)
// Exits 0 when every operation ran (whatever its errno), 2 on a bad command line.
#include <errno.h>
#include <stdlib.h>

#include "wasi_raw.h"

#define ALL_RIGHTS ((uint64_t)((1ull << 30) - 1))
#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW
#define MTIME_NS 12345000000000ull  // what utimes sets: an mtime nobody else uses

extern char** environ;

static int32_t base_fd = 3;
static char path_a[4096], path_b[4096];
static size_t len_a, len_b;
static char label[8300];

// Decodes %XX escapes; returns the length (the result may contain NUL bytes).
static size_t decode(const char* in, char* out) {
  size_t n = 0;
  for (const char* p = in; *p && n < 4095; ++p) {
    if (p[0] == '%' && p[1] && p[2]) {
      char hex[3] = {p[1], p[2], 0};
      out[n++] = (char)strtol(hex, NULL, 16);
      p += 2;
    } else {
      out[n++] = *p;
    }
  }
  out[n] = 0;
  return n;
}

static void report(int32_t err, const char* detail) {
  printf("%s: %d %s%s%s\n", label, err, errno_name(err), detail ? " | " : "", detail ? detail : "");
}

// Prints bytes with anything unusual escaped, so one result stays one line.
static void printable(const char* in, size_t n, char* out, size_t cap) {
  size_t o = 0;
  for (size_t i = 0; i < n && o + 5 < cap; ++i) {
    unsigned char c = (unsigned char)in[i];
    if (c >= 0x20 && c < 0x7f && c != '\\') out[o++] = (char)c;
    else o += (size_t)snprintf(out + o, cap - o, "\\x%02x", c);
  }
  out[o] = 0;
}

static int32_t open_a(int32_t lookup, int32_t oflags, uint64_t rights, int32_t fdflags, uint32_t* fd) {
  return raw_path_open(base_fd, lookup, path_a, len_a, oflags, rights, 0, fdflags, fd);
}

static void op_read(int32_t lookup) {
  uint32_t fd;
  int32_t e = open_a(lookup, 0, __WASI_RIGHTS_FD_READ, 0, &fd);
  if (e) { report(e, "at open"); return; }
  char buf[512], shown[2100];
  __wasi_iovec_t iov = {(uint8_t*)buf, sizeof buf};
  size_t n = 0;
  e = raw_fd_read((int32_t)fd, &iov, 1, &n);
  raw_fd_close((int32_t)fd);
  if (e) { report(e, "at read"); return; }
  printable(buf, n, shown, sizeof shown);
  report(0, shown);
}

static void op_write(int32_t oflags, int32_t fdflags) {
  uint32_t fd;
  int32_t e = open_a(FOLLOW, oflags, __WASI_RIGHTS_FD_WRITE, fdflags, &fd);
  if (e) { report(e, "at open"); return; }
  static const char kPwned[] = "pwned\n";
  __wasi_ciovec_t iov = {(const uint8_t*)kPwned, sizeof kPwned - 1};
  size_t n = 0;
  e = raw_fd_write((int32_t)fd, &iov, 1, &n);
  raw_fd_close((int32_t)fd);
  report(e, e ? "at write" : NULL);
}

// Opens with only the rights in `rights`, then tries what they do not allow.
static void op_escalate(void) {
  uint32_t fd;
  int32_t e = open_a(FOLLOW, 0, __WASI_RIGHTS_FD_READ, 0, &fd);
  if (e) { report(e, "at open"); return; }
  static const char kPwned[] = "pwned\n";
  __wasi_ciovec_t iov = {(const uint8_t*)kPwned, sizeof kPwned - 1};
  size_t n = 0;
  char* end = label + strlen(label);
  strcpy(end, " fd_write");
  report(raw_fd_write((int32_t)fd, &iov, 1, &n), NULL);
  strcpy(end, " fd_filestat_set_size");
  report(raw_fd_filestat_set_size((int32_t)fd, 0), NULL);
  strcpy(end, " fd_filestat_set_times");
  report(raw_fd_filestat_set_times((int32_t)fd, MTIME_NS, MTIME_NS, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM), NULL);
  strcpy(end, " fd_fdstat_set_rights");
  report(raw_fd_fdstat_set_rights((int32_t)fd, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0), NULL);
  raw_fd_close((int32_t)fd);
}

static void op_stat(int32_t lookup) {
  __wasi_filestat_t st;
  int32_t e = raw_path_filestat_get(base_fd, lookup, path_a, len_a, &st);
  if (e) { report(e, NULL); return; }
  char detail[64];
  snprintf(detail, sizeof detail, "type %u size %llu", st.filetype, (unsigned long long)st.size);
  report(0, detail);
}

static void op_readlink(void) {
  char buf[4096], shown[4200];
  size_t used = 0;
  int32_t e = raw_path_readlink(base_fd, path_a, len_a, buf, sizeof buf, &used);
  if (e) { report(e, NULL); return; }
  printable(buf, used, shown, sizeof shown);
  report(0, shown);
}

static void op_readdir(void) {
  uint32_t fd;
  int32_t e = open_a(FOLLOW, __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR, 0, &fd);
  if (e) { report(e, "at open"); return; }
  static char buf[16384];
  size_t used = 0;
  e = raw_fd_readdir((int32_t)fd, buf, sizeof buf, 0, &used);
  raw_fd_close((int32_t)fd);
  if (e) { report(e, "at readdir"); return; }
  char names[4096] = "";
  for (size_t at = 0; at + sizeof(__wasi_dirent_t) <= used;) {
    __wasi_dirent_t d;
    memcpy(&d, buf + at, sizeof d);
    at += sizeof d;
    if (at + d.d_namlen > used) break;
    char name[256];
    size_t n = d.d_namlen < 255 ? d.d_namlen : 255;
    memcpy(name, buf + at, n);
    name[n] = 0;
    at += d.d_namlen;
    if (!strcmp(name, ".") || !strcmp(name, "..")) continue;
    if (names[0]) strncat(names, " ", sizeof names - strlen(names) - 1);
    strncat(names, name, sizeof names - strlen(names) - 1);
  }
  report(0, names);
}

// Opens directory A with the rights the directory fd passes on; later
// operations work relative to the new fd (`fd N` goes back).
static void op_cd(void) {
  __wasi_fdstat_t st;
  int32_t e = raw_fd_fdstat_get(base_fd, &st);
  if (e) { report(e, "at fdstat"); return; }
  // Rights to write data would make it an open for writing, which a directory refuses (EISDIR).
  const uint64_t data_writes = __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE;
  uint32_t fd;
  e = raw_path_open(base_fd, FOLLOW, path_a, len_a, __WASI_OFLAGS_DIRECTORY, st.fs_rights_inheriting & ~data_writes,
                    st.fs_rights_inheriting, 0, &fd);
  if (e) { report(e, "at open"); return; }
  base_fd = (int32_t)fd;
  char detail[32];
  snprintf(detail, sizeof detail, "fd %u", fd);
  report(0, detail);
}

// Opens A asking for every right for itself and for what it opens.
static void op_open_all_rights(void) {
  uint32_t fd;
  int32_t e = raw_path_open(base_fd, FOLLOW, path_a, len_a, 0, ALL_RIGHTS, ALL_RIGHTS, 0, &fd);
  if (!e) raw_fd_close((int32_t)fd);
  report(e, NULL);
}

// Tries to give the directory fd rights it does not hold.
static void op_grow_rights(void) {
  __wasi_fdstat_t st;
  int32_t e = raw_fd_fdstat_get(base_fd, &st);
  if (e) { report(e, "at fdstat"); return; }
  report(raw_fd_fdstat_set_rights(base_fd, st.fs_rights_base | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_PATH_CREATE_FILE |
                                             __WASI_RIGHTS_FD_READ,
                                  st.fs_rights_inheriting | __WASI_RIGHTS_FD_WRITE),
         NULL);
}

// Every call a guest could make on fds it was never given.
static void op_fdprobe(uint32_t first, uint32_t last) {
  for (uint64_t wide = first; wide <= last; ++wide) {
    const int32_t fd = (int32_t)(uint32_t)wide;
    char buf[16];
    __wasi_iovec_t iov = {(uint8_t*)buf, sizeof buf};
    __wasi_ciovec_t ciov = {(const uint8_t*)"x", 1};
    size_t n;
    __wasi_fdstat_t st;
    __wasi_prestat_t pre;
    uint32_t opened;
    snprintf(label, sizeof label, "fd %u fd_fdstat_get", (uint32_t)fd);
    report(raw_fd_fdstat_get(fd, &st), NULL);
    snprintf(label, sizeof label, "fd %u fd_prestat_get", (uint32_t)fd);
    report(raw_fd_prestat_get(fd, &pre), NULL);
    snprintf(label, sizeof label, "fd %u fd_read", (uint32_t)fd);
    report(raw_fd_read(fd, &iov, 1, &n), NULL);
    snprintf(label, sizeof label, "fd %u fd_write", (uint32_t)fd);
    report(raw_fd_write(fd, &ciov, 1, &n), NULL);
    snprintf(label, sizeof label, "fd %u path_open", (uint32_t)fd);
    report(raw_path_open(fd, FOLLOW, "inner.txt", 9, 0, __WASI_RIGHTS_FD_READ, 0, 0, &opened), NULL);
    snprintf(label, sizeof label, "fd %u fd_close", (uint32_t)fd);
    report(raw_fd_close(fd), NULL);
  }
}

// What changes a file through an fd the guest was given (stdin, say): its
// times, its size, its blocks, its data.
static void op_fdops(int32_t fd) {
  static const char kPwned[] = "pwned\n";
  __wasi_ciovec_t iov = {(const uint8_t*)kPwned, sizeof kPwned - 1};
  size_t n = 0;
  snprintf(label, sizeof label, "fd %d fd_filestat_set_times", fd);
  report(raw_fd_filestat_set_times(fd, MTIME_NS, MTIME_NS, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM), NULL);
  snprintf(label, sizeof label, "fd %d fd_filestat_set_size", fd);
  report(raw_fd_filestat_set_size(fd, 0), NULL);
  snprintf(label, sizeof label, "fd %d fd_allocate", fd);
  report(raw_fd_allocate(fd, 0, 4096), NULL);
  snprintf(label, sizeof label, "fd %d fd_write", fd);
  report(raw_fd_write(fd, &iov, 1, &n), NULL);
}

// The preopens as the guest sees them.
static void op_prestat(void) {
  for (int fd = 3; fd < 64; ++fd) {
    __wasi_prestat_t pre;
    int32_t e = raw_fd_prestat_get(fd, &pre);
    snprintf(label, sizeof label, "prestat %d", fd);
    if (e) { report(e, NULL); return; }
    char name[512] = "";
    size_t len = pre.u.dir.pr_name_len < sizeof name - 1 ? pre.u.dir.pr_name_len : sizeof name - 1;
    e = raw_fd_prestat_dir_name(fd, name, len);
    name[len] = 0;
    report(e, name);
  }
}

static void op_fopen(const char* path) {
  errno = 0;
  FILE* f = fopen(path, "r");
  if (!f) { report(errno, NULL); return; }
  char buf[256] = "", shown[1100];
  size_t n = fread(buf, 1, sizeof buf, f);
  fclose(f);
  printable(buf, n, shown, sizeof shown);
  report(0, shown);
}

static int usage(const char* op) {
  fprintf(stderr, "escape: bad operation or missing argument at '%s'\n", op ? op : "(end)");
  return 2;
}

int main(int argc, char** argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  for (int i = 1; i < argc;) {
    const char* op = argv[i++];
    // A word that looks like an option is only echoed: it shows what reached the guest.
    if (op[0] == '-') {
      printf("arg: %s\n", op);
      continue;
    }
    // Operations with no path.
    if (!strcmp(op, "env")) {
      for (char** e = environ; *e; ++e) printf("env: %s\n", *e);
      printf("env: end\n");
      continue;
    }
    if (!strcmp(op, "prestat")) {
      op_prestat();
      continue;
    }
    if (!strcmp(op, "grow-rights")) {
      snprintf(label, sizeof label, "grow-rights fd %d", base_fd);
      op_grow_rights();
      continue;
    }
    if (i >= argc) return usage(op);
    const char* a = argv[i++];
    if (!strcmp(op, "fd")) {
      base_fd = atoi(a);
      continue;
    }
    if (!strcmp(op, "fdprobe")) {
      if (i >= argc) return usage(op);
      op_fdprobe((uint32_t)strtoul(a, NULL, 0), (uint32_t)strtoul(argv[i++], NULL, 0));
      continue;
    }
    if (!strcmp(op, "fdops")) {
      op_fdops(atoi(a));
      continue;
    }
    if (!strcmp(op, "fopen")) {
      snprintf(label, sizeof label, "fopen %s", a);
      op_fopen(a);
      continue;
    }
    len_a = decode(a, path_a);
    // Operations on two paths.
    const int two = !strcmp(op, "rename") || !strcmp(op, "symlink") || !strcmp(op, "link") ||
                    !strcmp(op, "link-follow");
    const char* b = NULL;
    if (two) {
      if (i >= argc) return usage(op);
      b = argv[i++];
      len_b = decode(b, path_b);
      snprintf(label, sizeof label, "%s %s %s", op, a, b);
    } else {
      snprintf(label, sizeof label, "%s %s", op, a);
    }
    if (!strcmp(op, "read")) op_read(FOLLOW);
    else if (!strcmp(op, "read-nofollow")) op_read(0);
    else if (!strcmp(op, "create")) op_write(__WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, 0);
    else if (!strcmp(op, "create-excl")) op_write(__WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, 0);
    else if (!strcmp(op, "write")) op_write(0, 0);
    else if (!strcmp(op, "append")) op_write(0, __WASI_FDFLAGS_APPEND);
    else if (!strcmp(op, "trunc")) op_write(__WASI_OFLAGS_TRUNC, 0);
    else if (!strcmp(op, "escalate")) op_escalate();
    else if (!strcmp(op, "open-all-rights")) op_open_all_rights();
    else if (!strcmp(op, "stat")) op_stat(FOLLOW);
    else if (!strcmp(op, "lstat")) op_stat(0);
    else if (!strcmp(op, "unlink")) report(raw_path_unlink_file(base_fd, path_a, len_a), NULL);
    else if (!strcmp(op, "mkdir")) report(raw_path_create_directory(base_fd, path_a, len_a), NULL);
    else if (!strcmp(op, "rmdir")) report(raw_path_remove_directory(base_fd, path_a, len_a), NULL);
    else if (!strcmp(op, "rename")) report(raw_path_rename(base_fd, path_a, len_a, base_fd, path_b, len_b), NULL);
    else if (!strcmp(op, "symlink")) report(raw_path_symlink(path_a, len_a, base_fd, path_b, len_b), NULL);
    else if (!strcmp(op, "link")) report(raw_path_link(base_fd, 0, path_a, len_a, base_fd, path_b, len_b), NULL);
    else if (!strcmp(op, "link-follow")) report(raw_path_link(base_fd, FOLLOW, path_a, len_a, base_fd, path_b, len_b), NULL);
    else if (!strcmp(op, "readlink")) op_readlink();
    else if (!strcmp(op, "readdir")) op_readdir();
    else if (!strcmp(op, "cd")) op_cd();
    else if (!strcmp(op, "utimes") || !strcmp(op, "lutimes"))
      report(raw_path_filestat_set_times(base_fd, !strcmp(op, "utimes") ? FOLLOW : 0, path_a, len_a, MTIME_NS, MTIME_NS,
                                         __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM),
             NULL);
    else return usage(op);
  }
  return 0;
}
