// Raw wasi_snapshot_preview1 imports for the test guests: pointer + length
// exactly as the guest passes them (wasi-libc's __wasi_* wrappers take
// NUL-terminated strings, which cannot carry a NUL byte or a bad length).
#pragma once
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#define RAW(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))

typedef uint32_t ptr_t;  // a guest address, as the calls take it

RAW(path_open) int32_t raw_path_open(int32_t fd, int32_t dirflags, const char* path, size_t path_len, int32_t oflags,
                                     uint64_t base, uint64_t inheriting, int32_t fdflags, uint32_t* opened);
RAW(fd_read) int32_t raw_fd_read(int32_t fd, const __wasi_iovec_t* iovs, size_t n, size_t* nread);
RAW(fd_write) int32_t raw_fd_write(int32_t fd, const __wasi_ciovec_t* iovs, size_t n, size_t* nwritten);
RAW(fd_close) int32_t raw_fd_close(int32_t fd);
RAW(fd_fdstat_get) int32_t raw_fd_fdstat_get(int32_t fd, __wasi_fdstat_t* out);
RAW(fd_fdstat_set_rights) int32_t raw_fd_fdstat_set_rights(int32_t fd, uint64_t base, uint64_t inheriting);
RAW(fd_prestat_get) int32_t raw_fd_prestat_get(int32_t fd, __wasi_prestat_t* out);
RAW(fd_prestat_dir_name) int32_t raw_fd_prestat_dir_name(int32_t fd, char* out, size_t len);
RAW(fd_filestat_set_size) int32_t raw_fd_filestat_set_size(int32_t fd, uint64_t size);
RAW(fd_filestat_set_times) int32_t raw_fd_filestat_set_times(int32_t fd, uint64_t atim, uint64_t mtim, int32_t flags);
RAW(fd_allocate) int32_t raw_fd_allocate(int32_t fd, uint64_t offset, uint64_t len);
RAW(fd_readdir) int32_t raw_fd_readdir(int32_t fd, void* buf, size_t len, uint64_t cookie, size_t* used);
RAW(path_filestat_get) int32_t raw_path_filestat_get(int32_t fd, int32_t flags, const char* path, size_t len,
                                                     __wasi_filestat_t* out);
RAW(path_filestat_set_times) int32_t raw_path_filestat_set_times(int32_t fd, int32_t flags, const char* path, size_t len,
                                                                 uint64_t atim, uint64_t mtim, int32_t fst);
RAW(path_unlink_file) int32_t raw_path_unlink_file(int32_t fd, const char* path, size_t len);
RAW(path_create_directory) int32_t raw_path_create_directory(int32_t fd, const char* path, size_t len);
RAW(path_remove_directory) int32_t raw_path_remove_directory(int32_t fd, const char* path, size_t len);
RAW(path_rename) int32_t raw_path_rename(int32_t fd, const char* from, size_t from_len, int32_t to_fd, const char* to,
                                         size_t to_len);
RAW(path_symlink) int32_t raw_path_symlink(const char* target, size_t target_len, int32_t fd, const char* path, size_t len);
RAW(path_link) int32_t raw_path_link(int32_t from_fd, int32_t flags, const char* from, size_t from_len, int32_t to_fd,
                                     const char* to, size_t to_len);
RAW(path_readlink) int32_t raw_path_readlink(int32_t fd, const char* path, size_t len, char* buf, size_t buf_len,
                                             size_t* used);
RAW(sock_accept) int32_t raw_sock_accept(int32_t fd, int32_t flags, uint32_t* accepted);
RAW(sock_recv) int32_t raw_sock_recv(int32_t fd, const __wasi_iovec_t* iovs, size_t n, int32_t riflags, size_t* len,
                                     uint16_t* roflags);
RAW(sock_send) int32_t raw_sock_send(int32_t fd, const __wasi_ciovec_t* iovs, size_t n, int32_t siflags, size_t* len);
RAW(sock_shutdown) int32_t raw_sock_shutdown(int32_t fd, int32_t how);

// WASI errno names, indexed by number (wasi-libc's errno values are the same numbers).
static const char* const kErrnoNames[] = {
    "ESUCCESS", "E2BIG", "EACCES", "EADDRINUSE", "EADDRNOTAVAIL", "EAFNOSUPPORT", "EAGAIN", "EALREADY", "EBADF",
    "EBADMSG", "EBUSY", "ECANCELED", "ECHILD", "ECONNABORTED", "ECONNREFUSED", "ECONNRESET", "EDEADLK",
    "EDESTADDRREQ", "EDOM", "EDQUOT", "EEXIST", "EFAULT", "EFBIG", "EHOSTUNREACH", "EIDRM", "EILSEQ", "EINPROGRESS",
    "EINTR", "EINVAL", "EIO", "EISCONN", "EISDIR", "ELOOP", "EMFILE", "EMLINK", "EMSGSIZE", "EMULTIHOP",
    "ENAMETOOLONG", "ENETDOWN", "ENETRESET", "ENETUNREACH", "ENFILE", "ENOBUFS", "ENODEV", "ENOENT", "ENOEXEC",
    "ENOLCK", "ENOLINK", "ENOMEM", "ENOMSG", "ENOPROTOOPT", "ENOSPC", "ENOSYS", "ENOTCONN", "ENOTDIR", "ENOTEMPTY",
    "ENOTRECOVERABLE", "ENOTSOCK", "ENOTSUP", "ENOTTY", "ENXIO", "EOVERFLOW", "EOWNERDEAD", "EPERM", "EPIPE",
    "EPROTO", "EPROTONOSUPPORT", "EPROTOTYPE", "ERANGE", "EROFS", "ESPIPE", "ESRCH", "ESTALE", "ETIMEDOUT",
    "ETXTBSY", "EXDEV", "ENOTCAPABLE"};

static inline const char* errno_name(int32_t e) {
  return e >= 0 && e < (int32_t)(sizeof kErrnoNames / sizeof kErrnoNames[0]) ? kErrnoNames[e] : "E?";
}
