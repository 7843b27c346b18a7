// WAGI host tests: a component's `files` mounted read-only at /static/: lists them and serves one (name from the query).
//
//   (no query)      200 text/plain: the entries of /static, sorted, one a line, directories with a trailing '/'
//   ?file=NAME      200: the contents of /static/NAME (Content-Type from the extension: .txt/.md text/plain,
//                   .html text/html, .json application/json, .css text/css, else application/octet-stream)
//   ?path=PATH      the same for a guest path as given (`/static/a.txt`, or `/etc/passwd` for sandbox checks)
//   ?list=DIR       the listing of another guest directory
//   ?write=NAME     tries to create /static/NAME: 403 when the mount is read-only (as it must be)
// Errors: 404 Not Found (ENOENT, ENOTDIR), 403 Forbidden (EACCES, EPERM, EROFS, ENOTCAPABLE), else 500, each
// with a text/plain body `error: PATH: MESSAGE`.
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "cgi.h"

static int fail(const char* path) {
  int e = errno;
  const char* status = "500 Internal Server Error";
  if (e == ENOENT || e == ENOTDIR) status = "404 Not Found";
#ifdef ENOTCAPABLE
  if (e == ENOTCAPABLE) status = "403 Forbidden";
#endif
  if (e == EACCES || e == EPERM || e == EROFS) status = "403 Forbidden";
  printf("Status: %s\nContent-Type: text/plain\n\nerror: %s: %s\n", status, path, strerror(e));
  return 0;
}

static const char* content_type(const char* path) {
  const char* dot = strrchr(path, '.');
  const char* slash = strrchr(path, '/');
  if (!dot || (slash && dot < slash)) return "text/plain";
  if (!strcmp(dot, ".txt") || !strcmp(dot, ".md")) return "text/plain";
  if (!strcmp(dot, ".html")) return "text/html";
  if (!strcmp(dot, ".json")) return "application/json";
  if (!strcmp(dot, ".css")) return "text/css";
  return "application/octet-stream";
}

static int by_name(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

static int list(const char* dir) {
  DIR* d = opendir(dir);
  if (!d) return fail(dir);
  char** names = NULL;
  size_t n = 0, cap = 0;
  for (struct dirent* e; (e = readdir(d));) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 16;
      names = realloc(names, cap * sizeof *names);
    }
    size_t len = strlen(e->d_name);
    names[n] = malloc(len + 2);
    memcpy(names[n], e->d_name, len + 1);
    if (e->d_type == DT_DIR) strcpy(names[n] + len, "/");
    ++n;
  }
  closedir(d);
  qsort(names, n, sizeof *names, by_name);
  printf("Content-Type: text/plain\n\n");
  for (size_t i = 0; i < n; ++i) printf("%s\n", names[i]);
  return 0;
}

static int serve(const char* path) {
  FILE* f = fopen(path, "rb");
  if (!f) return fail(path);
  struct stat st;
  if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
    fclose(f);
    return list(path);
  }
  printf("Content-Type: %s\n\n", content_type(path));
  char buf[16384];
  for (size_t got; (got = fread(buf, 1, sizeof buf, f)) > 0;) fwrite(buf, 1, got, stdout);
  fclose(f);
  return 0;
}

int main(void) {
  char arg[1024], path[1100];
  if (query_param("file", arg, sizeof arg)) {
    snprintf(path, sizeof path, "/static/%s", arg);
    return serve(path);
  }
  if (query_param("path", arg, sizeof arg)) return serve(arg);
  if (query_param("list", arg, sizeof arg)) return list(arg);
  if (query_param("write", arg, sizeof arg)) {
    snprintf(path, sizeof path, "/static/%s", arg);
    FILE* f = fopen(path, "wb");
    if (!f) return fail(path);
    fclose(f);
    printf("Status: 201 Created\nContent-Type: text/plain\n\ncreated %s\n", path);
    return 0;
  }
  return list("/static");
}
