// A wasi:cli command (adapted from wasm32-wasi with `jco new --wasi-command`)
// that works in its preopened directory through wasi:filesystem@0.2: creates,
// writes, reads back, lists, renames and deletes files and a directory, then
// tries to leave the sandbox. Prints one line per step; tests/cli/
// component_fs_test.py checks them and the host directory.
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures = 0;

static void check(const char* step, int ok) {
  printf("%s: %s\n", step, ok ? "ok" : strerror(errno));
  if (!ok) ++failures;
}

static void list(const char* dir) {
  DIR* d = opendir(dir);
  if (!d) {
    check("opendir", 0);
    return;
  }
  // The host returns entries in directory order; print them as a sorted set.
  char names[64][64];
  int n = 0;
  for (struct dirent* e; (e = readdir(d)) && n < 64;) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    snprintf(names[n++], sizeof names[0], "%s", e->d_name);
  }
  closedir(d);
  qsort(names, (size_t)n, sizeof names[0], (int (*)(const void*, const void*))strcmp);
  printf("list %s:", dir);
  for (int i = 0; i < n; ++i) printf(" %s", names[i]);
  printf("\n");
}

int main(void) {
  FILE* f = fopen("hello.txt", "w");
  check("create", f != NULL);
  if (!f) return 1;
  check("write", fputs("hello from a component\n", f) >= 0);
  check("close", fclose(f) == 0);

  char buf[128] = {0};
  f = fopen("hello.txt", "r");
  check("reopen", f != NULL);
  if (!f) return 1;
  check("read", fgets(buf, sizeof buf, f) != NULL);
  fclose(f);
  printf("content: %s", buf);

  f = fopen("hello.txt", "a");
  check("append", f != NULL && fputs("more\n", f) >= 0 && fclose(f) == 0);
  struct stat st;
  check("stat", stat("hello.txt", &st) == 0);
  printf("size: %lld\n", (long long)st.st_size);

  check("mkdir", mkdir("dir", 0755) == 0);
  check("rename", rename("hello.txt", "dir/moved.txt") == 0);
  list(".");
  list("dir");
  check("unlink", unlink("dir/moved.txt") == 0);
  check("rmdir", rmdir("dir") == 0);
  f = fopen("keep.txt", "w");
  check("create keep", f != NULL && fputs("kept\n", f) >= 0 && fclose(f) == 0);
  list(".");

  errno = 0;
  f = fopen("../escaped.txt", "w");
  printf("escape: %s\n", f ? "opened" : strerror(errno));
  if (f) ++failures;
  printf("failures: %d\n", failures);
  return failures == 0 ? 0 : 1;
}
