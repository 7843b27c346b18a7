;; A WASI command that hands the host garbage pointers and lengths: each call
;; must return EFAULT (21) without touching host memory, writing anything, or
;; blocking. On the first unexpected errno it exits with that check's own code
;; (10, 11, ...), so the exit status names the failing check; at the end it
;; prints "ok". Run it as tests/cli/cases/run_wasi_garbage.cmd does:
;;   wasmops run --dir .::/:ro --env A=B --listen 127.0.0.1:0 wasi_garbage.wasm
;; (fd 3: the preopen, which must hold command.wasm; fd 4: the listener;
;; environ non-empty, so that environ_get has something to copy).
(module
  (type $ii_i (func (param i32 i32) (result i32)))
  (type $iii_i (func (param i32 i32 i32) (result i32)))
  (type $iiii_i (func (param i32 i32 i32 i32) (result i32)))
  (type $iiiii_i (func (param i32 i32 i32 i32 i32) (result i32)))
  (type $iiiiii_i (func (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (type $iiii_i)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (type $iiii_i)))
  (import "wasi_snapshot_preview1" "fd_pread" (func $fd_pread (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (type $ii_i)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (type $ii_i)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (type $ii_i)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (type $ii_i)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_filestat_get" (func $path_filestat_get (type $iiiii_i)))
  (import "wasi_snapshot_preview1" "path_readlink" (func $path_readlink (type $iiiiii_i)))
  (import "wasi_snapshot_preview1" "path_symlink" (func $path_symlink (type $iiiii_i)))
  (import "wasi_snapshot_preview1" "fd_prestat_get" (func $fd_prestat_get (type $ii_i)))
  (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func $fd_prestat_dir_name (type $iii_i)))
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fd_fdstat_get (type $ii_i)))
  (import "wasi_snapshot_preview1" "fd_filestat_get" (func $fd_filestat_get (type $ii_i)))
  (import "wasi_snapshot_preview1" "fd_readdir" (func $fd_readdir (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_tell" (func $fd_tell (type $ii_i)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (type $ii_i)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_res_get" (func $clock_res_get (type $ii_i)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (type $iiii_i)))
  (import "wasi_snapshot_preview1" "sock_accept" (func $sock_accept (type $iii_i)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))

  ;; One page to start with (the end of memory is 65536), room to grow to two.
  (memory (export "memory") 1 2)
  (data (i32.const 100) "x")
  (data (i32.const 200) "command.wasm")
  (data (i32.const 300) "ok\n")

  (global $EFAULT i32 (i32.const 21))
  (global $BAD i32 (i32.const 0xFFFFFFF0))  ;; far beyond the end; + 16 wraps to 0 in 32 bits

  ;; Exits with `code` unless `got` is `want`.
  (func $expect (param $got i32) (param $want i32) (param $code i32)
    (if (i32.ne (local.get $got) (local.get $want))
      (then (call $proc_exit (local.get $code)))))
  (func $fault (param $got i32) (param $code i32)
    (call $expect (local.get $got) (global.get $EFAULT) (local.get $code)))

  ;; Writes the iovec {buf, len} at `at`.
  (func $iovec (param $at i32) (param $buf i32) (param $len i32)
    (i32.store (local.get $at) (local.get $buf))
    (i32.store offset=4 (local.get $at) (local.get $len)))

  (func $main (export "_start")
    (local $fd i32)
    ;; fd_write: the iovec array, then its buffers, out of bounds; nothing may be written.
    (call $fault (call $fd_write (i32.const 1) (global.get $BAD) (i32.const 1) (i32.const 1000)) (i32.const 10))
    (call $fault (call $fd_write (i32.const 1) (i32.const 65532) (i32.const 1) (i32.const 1000)) (i32.const 11))
    (call $fault (call $fd_write (i32.const 1) (i32.const 65000) (i32.const 100) (i32.const 1000)) (i32.const 12))
    (call $iovec (i32.const 400) (global.get $BAD) (i32.const 16))  ;; buf + len wraps to 0
    (call $fault (call $fd_write (i32.const 1) (i32.const 400) (i32.const 1) (i32.const 1000)) (i32.const 13))
    (call $iovec (i32.const 400) (i32.const 65530) (i32.const 10))  ;; crosses the end
    (call $fault (call $fd_write (i32.const 1) (i32.const 400) (i32.const 1) (i32.const 1000)) (i32.const 14))
    (call $iovec (i32.const 400) (i32.const 100) (i32.const 0xFFFFFFFF))
    (call $fault (call $fd_write (i32.const 1) (i32.const 400) (i32.const 1) (i32.const 1000)) (i32.const 15))
    ;; A good iovec, then a bad one: fails as a whole, "x" is not written.
    (call $iovec (i32.const 400) (i32.const 100) (i32.const 1))
    (call $iovec (i32.const 408) (global.get $BAD) (i32.const 4))
    (call $fault (call $fd_write (i32.const 1) (i32.const 400) (i32.const 2) (i32.const 1000)) (i32.const 16))
    ;; Good data, bad result pointer: nothing is written either.
    (call $iovec (i32.const 400) (i32.const 100) (i32.const 1))
    (call $fault (call $fd_write (i32.const 1) (i32.const 400) (i32.const 1) (global.get $BAD)) (i32.const 17))
    (call $fault (call $fd_write (i32.const 1) (i32.const 400) (i32.const 1) (i32.const 65533)) (i32.const 18))

    ;; fd_read (stdin) and fd_pread (a file): bad buffers, before any byte is consumed.
    (call $iovec (i32.const 400) (global.get $BAD) (i32.const 16))
    (call $fault (call $fd_read (i32.const 0) (i32.const 400) (i32.const 1) (i32.const 1000)) (i32.const 20))
    (call $fault (call $fd_read (i32.const 0) (global.get $BAD) (i32.const 1) (i32.const 1000)) (i32.const 21))

    ;; args and environ: pointer arrays and string buffers.
    (call $fault (call $args_get (global.get $BAD) (i32.const 500)) (i32.const 30))
    (call $fault (call $args_get (i32.const 500) (i32.const 65535)) (i32.const 31))
    (call $fault (call $args_sizes_get (i32.const 0xFFFFFFFF) (i32.const 500)) (i32.const 32))
    (call $fault (call $args_sizes_get (i32.const 500) (i32.const 65534)) (i32.const 33))
    (call $fault (call $environ_get (global.get $BAD) (i32.const 500)) (i32.const 34))
    (call $fault (call $environ_get (i32.const 500) (i32.const 65535)) (i32.const 35))
    (call $fault (call $environ_sizes_get (i32.const 65533) (i32.const 500)) (i32.const 36))

    ;; path_open on the preopen: bad path, path crossing the end, bad result pointer.
    (call $fault (call $path_open (i32.const 3) (i32.const 0) (global.get $BAD) (i32.const 16) (i32.const 0)
                   (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 1000)) (i32.const 40))
    (call $fault (call $path_open (i32.const 3) (i32.const 0) (i32.const 65530) (i32.const 10) (i32.const 0)
                   (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 1000)) (i32.const 41))
    (call $fault (call $path_open (i32.const 3) (i32.const 0) (i32.const 200) (i32.const 12) (i32.const 0)
                   (i64.const 2) (i64.const 0) (i32.const 0) (global.get $BAD)) (i32.const 42))
    (call $fault (call $path_open (i32.const 3) (i32.const 0) (i32.const 65000) (i32.const 1000) (i32.const 0)
                   (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 1000)) (i32.const 43))
    (call $fault (call $path_filestat_get (i32.const 3) (i32.const 0) (global.get $BAD) (i32.const 4) (i32.const 1000))
      (i32.const 44))
    (call $fault (call $path_filestat_get (i32.const 3) (i32.const 0) (i32.const 200) (i32.const 12) (i32.const 65500))
      (i32.const 45))
    (call $fault (call $path_readlink (i32.const 3) (global.get $BAD) (i32.const 4) (i32.const 500) (i32.const 10)
                   (i32.const 1000)) (i32.const 46))
    (call $fault (call $path_readlink (i32.const 3) (i32.const 200) (i32.const 12) (global.get $BAD) (i32.const 100)
                   (i32.const 1000)) (i32.const 47))
    (call $fault (call $path_symlink (global.get $BAD) (i32.const 8) (i32.const 3) (i32.const 200) (i32.const 12))
      (i32.const 48))

    ;; The preopen's name and prestat.
    (call $fault (call $fd_prestat_get (i32.const 3) (i32.const 65535)) (i32.const 50))
    (call $fault (call $fd_prestat_dir_name (i32.const 3) (global.get $BAD) (i32.const 1)) (i32.const 51))
    (call $fault (call $fd_prestat_dir_name (i32.const 3) (i32.const 65536) (i32.const 1)) (i32.const 52))

    ;; fd_readdir: buffer, buffer crossing the end, bufused.
    (call $fault (call $fd_readdir (i32.const 3) (global.get $BAD) (i32.const 100) (i64.const 0) (i32.const 1000))
      (i32.const 55))
    (call $fault (call $fd_readdir (i32.const 3) (i32.const 65000) (i32.const 1000) (i64.const 0) (i32.const 1000))
      (i32.const 56))
    (call $fault (call $fd_readdir (i32.const 3) (i32.const 500) (i32.const 100) (i64.const 0) (i32.const 65534))
      (i32.const 57))

    ;; fdstat and filestat records.
    (call $fault (call $fd_fdstat_get (i32.const 1) (i32.const 65530)) (i32.const 60))
    (call $fault (call $fd_filestat_get (i32.const 1) (global.get $BAD)) (i32.const 61))
    (call $fault (call $fd_filestat_get (i32.const 1) (i32.const 65500)) (i32.const 62))

    ;; A file opened through the preopen: seek/tell results and pread buffers.
    (call $expect (call $path_open (i32.const 3) (i32.const 0) (i32.const 200) (i32.const 12) (i32.const 0)
                    (i64.const 0x26) (i64.const 0) (i32.const 0) (i32.const 1000)) (i32.const 0) (i32.const 65))
    (local.set $fd (i32.load (i32.const 1000)))
    (call $fault (call $fd_seek (local.get $fd) (i64.const 0) (i32.const 0) (global.get $BAD)) (i32.const 66))
    (call $fault (call $fd_tell (local.get $fd) (i32.const 65535)) (i32.const 67))
    (call $iovec (i32.const 400) (i32.const 65530) (i32.const 100))
    (call $fault (call $fd_pread (local.get $fd) (i32.const 400) (i32.const 1) (i64.const 0) (i32.const 1000))
      (i32.const 68))

    ;; random_get, clocks.
    (call $fault (call $random_get (global.get $BAD) (i32.const 32)) (i32.const 70))
    (call $fault (call $random_get (i32.const 65000) (i32.const 1000)) (i32.const 71))
    (call $fault (call $random_get (i32.const 0) (i32.const 0xFFFFFFFF)) (i32.const 72))
    (call $fault (call $clock_time_get (i32.const 1) (i64.const 0) (i32.const 0xFFFFFFFC)) (i32.const 73))
    (call $fault (call $clock_time_get (i32.const 0) (i64.const 0) (i32.const 65532)) (i32.const 74))
    (call $fault (call $clock_res_get (i32.const 0) (i32.const 65535)) (i32.const 75))

    ;; poll_oneoff: subscriptions, events, nevents; a count whose byte size
    ;; wraps in 32 bits (0x05555556 * 48 = 2^32 + 32). None of these may block:
    ;; the subscription at 0 is a clock that expires at once, if it is ever read.
    (call $fault (call $poll_oneoff (global.get $BAD) (i32.const 2000) (i32.const 1) (i32.const 1000)) (i32.const 80))
    (call $fault (call $poll_oneoff (i32.const 0) (i32.const 65520) (i32.const 1) (i32.const 1000)) (i32.const 81))
    (call $fault (call $poll_oneoff (i32.const 0) (i32.const 2000) (i32.const 1) (i32.const 65534)) (i32.const 82))
    (call $fault (call $poll_oneoff (i32.const 0) (i32.const 2000) (i32.const 0x05555556) (i32.const 1000))
      (i32.const 83))

    ;; sock_accept: a bad result pointer is refused before a connection is taken (or waited for).
    (call $fault (call $sock_accept (i32.const 4) (i32.const 0) (global.get $BAD)) (i32.const 85))

    ;; The checks are exact, not over-eager: the last byte and an empty range at the end are fine.
    (call $expect (call $random_get (i32.const 65535) (i32.const 1)) (i32.const 0) (i32.const 90))
    (call $expect (call $random_get (i32.const 65536) (i32.const 0)) (i32.const 0) (i32.const 91))
    (call $fault (call $random_get (i32.const 65536) (i32.const 1)) (i32.const 92))
    ;; And they follow memory.grow: the second page becomes valid.
    (drop (memory.grow (i32.const 1)))
    (call $expect (call $random_get (i32.const 65536) (i32.const 1000)) (i32.const 0) (i32.const 93))
    (call $fault (call $random_get (i32.const 131000) (i32.const 1000)) (i32.const 94))

    ;; Done: "ok\n".
    (call $iovec (i32.const 400) (i32.const 300) (i32.const 3))
    (call $expect (call $fd_write (i32.const 1) (i32.const 400) (i32.const 1) (i32.const 1000)) (i32.const 0) (i32.const 99))))
