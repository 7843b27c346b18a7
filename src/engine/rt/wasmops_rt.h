/* wasmops runtime ABI: included (as text) at the top of every generated C
 * file and by the C++ runtime, so both sides agree on layouts. Its hash is
 * part of the artifact cache key: change it and every artifact is rebuilt.
 * Plain C99 that tcc compiles; no TLS, atomics or builtins under tcc. */
#ifndef WASMOPS_RT_H
#define WASMOPS_RT_H
/* C, also compiled as C by tcc and cc: typedefs stay. NOLINTBEGIN(modernize-use-using) */
#include <stdint.h>
#include <string.h>
#include <math.h>

#define WASMOPS_ABI_VERSION 4

/* Very large functions (a 300 KB wasm body becomes 200,000 lines of C) make
 * gcc -O2 take many minutes; they are compiled at -O1 instead. */
#if defined(__GNUC__) && !defined(__TINYC__) && !defined(__clang__)
#define WASMOPS_LARGE_FUNC __attribute__((optimize("O1")))
#else
#define WASMOPS_LARGE_FUNC
#endif

/* Functions called across the translation units of one artifact. tcc
 * 0.9.27 accepts but ignores the attribute (the symbols are exported then,
 * harmlessly: artifacts are loaded RTLD_LOCAL). */
#define WASMOPS_HIDDEN __attribute__((visibility("hidden")))

#if defined(__GNUC__) && !defined(__TINYC__)
#define WASMOPS_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define WASMOPS_NORETURN __attribute__((noreturn))
#define WASMOPS_EXPORT __attribute__((visibility("default")))
#define WASMOPS_INLINE static inline __attribute__((always_inline))
#else
#define WASMOPS_UNLIKELY(x) (x)
#define WASMOPS_NORETURN
#define WASMOPS_EXPORT __attribute__((visibility("default")))
#define WASMOPS_INLINE static inline
#endif

enum wasmops_trap_code {
  WASMOPS_TRAP_UNREACHABLE = 1,
  WASMOPS_TRAP_MEMORY_OOB,
  WASMOPS_TRAP_TABLE_OOB,
  WASMOPS_TRAP_INT_DIV_ZERO,
  WASMOPS_TRAP_INT_OVERFLOW,
  WASMOPS_TRAP_INVALID_CONVERSION,
  WASMOPS_TRAP_INDIRECT_NULL,
  WASMOPS_TRAP_INDIRECT_TYPE,
  WASMOPS_TRAP_STACK_EXHAUSTED,
  WASMOPS_TRAP_HOST,
  WASMOPS_TRAP_UNDEFINED_ELEMENT,
  WASMOPS_TRAP_INTERRUPTED
};

typedef union wasmops_val {
  uint32_t i32;
  uint64_t i64;
  float f32;
  double f64;
  void* ref;
  uint8_t v128[16];
} wasmops_val;

/* A function reference: what `ref.func`, tables and imports hold. */
typedef struct wasmops_funcref {
  void* code;        /* native function: R f(void* ctx, params...) */
  void* ctx;         /* the instance context it runs in (or a host record) */
  uint32_t type_id;  /* process-wide canonical signature id */
} wasmops_funcref;

typedef struct wasmops_memory {
  uint8_t* base;
  uint64_t size;       /* bytes */
  uint64_t max_pages;  /* effective limit (declared max, --max-memory) */
} wasmops_memory;

typedef struct wasmops_table {
  void** elems;  /* funcref: wasmops_funcref*; externref: opaque */
  uint32_t size;
  uint32_t max;
} wasmops_table;

typedef struct wasmops_global {
  wasmops_val v;
} wasmops_global;

struct wasmops_ctx;

/* Services the C++ runtime provides to generated code. */
typedef struct wasmops_rt {
  WASMOPS_NORETURN void (*trap)(struct wasmops_ctx* ctx, int code);
  uint32_t (*memory_grow)(struct wasmops_ctx* ctx, uint32_t mem, uint32_t delta);
  uint32_t (*table_grow)(struct wasmops_ctx* ctx, uint32_t table, void* init, uint32_t delta);
  void (*memory_init)(struct wasmops_ctx* ctx, uint32_t mem, uint32_t seg, uint32_t dst, uint32_t src, uint32_t n);
  void (*data_drop)(struct wasmops_ctx* ctx, uint32_t seg);
  void (*table_init)(struct wasmops_ctx* ctx, uint32_t table, uint32_t seg, uint32_t dst, uint32_t src, uint32_t n);
  void (*elem_drop)(struct wasmops_ctx* ctx, uint32_t seg);
  /* Host functions: args/results as arrays; traps by not returning. */
  void (*call_host)(void* host_record, const wasmops_val* args, wasmops_val* results);
  /* The stack check failed: the stack is exhausted (a trap), or the store
   * was interrupted or its deadline passed (a trap, or a return when the
   * store's deadline handler extends the deadline). */
  void (*limit_reached)(struct wasmops_ctx* ctx);
} wasmops_rt;

/* Per-instance context; the first parameter of every generated function. */
typedef struct wasmops_ctx {
  const wasmops_rt* rt;
  wasmops_memory** memories;
  wasmops_table** tables;
  wasmops_global** globals;
  wasmops_funcref* funcs;     /* whole function index space, imports first */
  const uint32_t* type_ids;   /* canonical id of each type of the module */
  uintptr_t* stack_limit;     /* shared by a store; below it: exhaustion */
  void* instance;             /* the C++ Instance */
} wasmops_ctx;

#define WASMOPS_TRAP(ctx, code) ((ctx)->rt->trap((ctx), (code)))

/* A host function as generated code sees it (the C++ side extends it). */
typedef struct wasmops_host_func {
  const wasmops_rt* rt;
} wasmops_host_func;

/* Calls a function of any signature with arguments and results as arrays:
 * generated per type, used by the host to enter wasm. */
typedef void (*wasmops_entry_fn)(void* code, void* ctx, const wasmops_val* args, wasmops_val* results);

/* What a compiled artifact exports (symbol `wasmops_module`). */
typedef struct wasmops_module_desc {
  uint32_t abi_version;
  uint32_t num_defined;          /* defined functions, in index order */
  void* const* defined;          /* their native code */
  uint32_t num_types;
  const wasmops_entry_fn* entries;  /* per type index */
  void* const* host_thunks;         /* per type index: R f(wasmops_host_func*, params...) */
  uint32_t num_units;               /* translation units the artifact was built from */
  void* const* code_ends;           /* per unit: just past its defined functions (trap attribution) */
} wasmops_module_desc;

/* ---- tables ---- */
WASMOPS_INLINE void* wasmops_table_get(wasmops_ctx* ctx, wasmops_table* t, uint32_t i) {
  if (WASMOPS_UNLIKELY(i >= t->size)) WASMOPS_TRAP(ctx, WASMOPS_TRAP_TABLE_OOB);
  return t->elems[i];
}
WASMOPS_INLINE void wasmops_table_set(wasmops_ctx* ctx, wasmops_table* t, uint32_t i, void* v) {
  if (WASMOPS_UNLIKELY(i >= t->size)) WASMOPS_TRAP(ctx, WASMOPS_TRAP_TABLE_OOB);
  t->elems[i] = v;
}
WASMOPS_INLINE void wasmops_table_fill(wasmops_ctx* ctx, wasmops_table* t, uint32_t i, void* v, uint32_t n) {
  uint32_t k;
  if (WASMOPS_UNLIKELY((uint64_t)i + n > t->size)) WASMOPS_TRAP(ctx, WASMOPS_TRAP_TABLE_OOB);
  for (k = 0; k < n; ++k) t->elems[i + k] = v;
}
WASMOPS_INLINE void wasmops_table_copy(wasmops_ctx* ctx, wasmops_table* dt, wasmops_table* st, uint32_t d, uint32_t s, uint32_t n) {
  if (WASMOPS_UNLIKELY((uint64_t)d + n > dt->size || (uint64_t)s + n > st->size)) WASMOPS_TRAP(ctx, WASMOPS_TRAP_TABLE_OOB);
  memmove(dt->elems + d, st->elems + s, (size_t)n * sizeof(void*));
}
WASMOPS_INLINE wasmops_funcref* wasmops_call_target(wasmops_ctx* ctx, wasmops_table* t, uint32_t i, uint32_t type_id) {
  wasmops_funcref* f;
  if (WASMOPS_UNLIKELY(i >= t->size)) WASMOPS_TRAP(ctx, WASMOPS_TRAP_UNDEFINED_ELEMENT);
  f = (wasmops_funcref*)t->elems[i];
  if (WASMOPS_UNLIKELY(!f)) WASMOPS_TRAP(ctx, WASMOPS_TRAP_INDIRECT_NULL);
  if (WASMOPS_UNLIKELY(f->type_id != type_id)) WASMOPS_TRAP(ctx, WASMOPS_TRAP_INDIRECT_TYPE);
  return f;
}

/* ---- bulk memory: bounds are checked before anything is written ---- */
WASMOPS_INLINE void wasmops_memory_copy(wasmops_ctx* ctx, wasmops_memory* dm, wasmops_memory* sm, uint32_t d, uint32_t s, uint32_t n) {
  if (WASMOPS_UNLIKELY((uint64_t)d + n > dm->size || (uint64_t)s + n > sm->size)) WASMOPS_TRAP(ctx, WASMOPS_TRAP_MEMORY_OOB);
  memmove(dm->base + d, sm->base + s, n);
}
WASMOPS_INLINE void wasmops_memory_fill(wasmops_ctx* ctx, wasmops_memory* m, uint32_t d, uint32_t v, uint32_t n) {
  if (WASMOPS_UNLIKELY((uint64_t)d + n > m->size)) WASMOPS_TRAP(ctx, WASMOPS_TRAP_MEMORY_OOB);
  memset(m->base + d, (int)(v & 0xff), n);
}

/* Interruption and epoch deadlines: the host sets the store's stack limit
 * to UINTPTR_MAX; the next function entry fails the stack check and so does
 * the next loop header, one load and compare through the context. The
 * runtime then traps (WASMOPS_TRAP_INTERRUPTED) or returns to let the guest
 * go on. Every artifact has these checks. */
#define WASMOPS_LOOP_HEADER(ctx)                                                         \
  do {                                                                                   \
    if (WASMOPS_UNLIKELY(*wasmops_stop == UINTPTR_MAX)) (ctx)->rt->limit_reached(ctx); \
  } while (0)

WASMOPS_INLINE void wasmops_check_stack(wasmops_ctx* ctx) {
  char probe;
  if (WASMOPS_UNLIKELY((uintptr_t)&probe < *ctx->stack_limit)) ctx->rt->limit_reached(ctx);
}

/* Effective address with bounds check; `n` is the access size. */
WASMOPS_INLINE uint8_t* wasmops_addr(wasmops_ctx* ctx, wasmops_memory* m, uint32_t addr, uint64_t offset, uint64_t n) {
  uint64_t ea = (uint64_t)addr + offset;
  if (WASMOPS_UNLIKELY(ea + n > m->size)) WASMOPS_TRAP(ctx, WASMOPS_TRAP_MEMORY_OOB);
  return m->base + ea;
}

/* Memory strategy, chosen when the artifact is built (cache key): with
 * WASMOPS_GUARD_PAGES every memory is a 4 GiB + 2 GiB reservation whose
 * pages past the memory's size are inaccessible, so an access whose static
 * offset and size stay within the guard needs no check: a fault there is
 * turned into the trap by the runtime's signal handler. Larger offsets, and
 * SIMD accesses (SIMDe may call memcpy out of line, outside guest code),
 * keep the explicit check. */
#define WASMOPS_GUARD_BYTES (2ull << 30)
#ifdef WASMOPS_GUARD_PAGES
#define WASMOPS_ADDR(ctx, m, addr, off, n)                                                  \
  ((uint64_t)(off) + (n) <= WASMOPS_GUARD_BYTES ? (m)->base + (uint64_t)(addr) + (off) \
                                                : wasmops_addr((ctx), (m), (addr), (off), (n)))
#else
#define WASMOPS_ADDR(ctx, m, addr, off, n) wasmops_addr((ctx), (m), (addr), (off), (n))
#endif

/* A load whose value is unused must still happen (it may trap). With
 * explicit checks the check is the side effect; with guard pages the load
 * itself is, so gcc and clang must not drop it (as wasm2c's FORCE_READ).
 * tcc removes no loads. */
#ifdef __aarch64__
#define WASMOPS_FP_REG "w"
#else
#define WASMOPS_FP_REG "x"
#endif
#if defined(WASMOPS_GUARD_PAGES) && !defined(__TINYC__)
#define WASMOPS_FORCE_READ(v, c) __asm__("" ::c(v))
#else
#define WASMOPS_FORCE_READ(v, c) ((void)0)
#endif

#ifdef __TINYC__
/* tcc calls memcpy out of line; plain (unaligned-tolerant on x86-64 and
 * aarch64) dereferences are faster there. */
#define WASMOPS_LOAD(T, p) (*(const T*)(p))
#define WASMOPS_STORE(T, p, v) (*(T*)(p) = (v))
#else
#define WASMOPS_LOAD(T, p) wasmops_load_##T(p)
#define WASMOPS_STORE(T, p, v) wasmops_store_##T((p), (v))
#define WASMOPS_DEF_MEMACCESS(T, C)                                                                         \
  WASMOPS_INLINE T wasmops_load_##T(const uint8_t* p) { T v; memcpy(&v, p, sizeof v); WASMOPS_FORCE_READ(v, C); return v; } \
  WASMOPS_INLINE void wasmops_store_##T(uint8_t* p, T v) { memcpy(p, &v, sizeof v); }
WASMOPS_DEF_MEMACCESS(uint8_t, "r")
WASMOPS_DEF_MEMACCESS(uint16_t, "r")
WASMOPS_DEF_MEMACCESS(uint32_t, "r")
WASMOPS_DEF_MEMACCESS(uint64_t, "r")
WASMOPS_DEF_MEMACCESS(int8_t, "r")
WASMOPS_DEF_MEMACCESS(int16_t, "r")
WASMOPS_DEF_MEMACCESS(int32_t, "r")
WASMOPS_DEF_MEMACCESS(float, WASMOPS_FP_REG)
WASMOPS_DEF_MEMACCESS(double, WASMOPS_FP_REG)
#endif

/* ---- integer helpers (no undefined behaviour: unsigned arithmetic) ---- */
WASMOPS_INLINE uint32_t wasmops_i32_div_s(wasmops_ctx* ctx, uint32_t a, uint32_t b) {
  if (WASMOPS_UNLIKELY(b == 0)) WASMOPS_TRAP(ctx, WASMOPS_TRAP_INT_DIV_ZERO);
  if (WASMOPS_UNLIKELY(a == 0x80000000u && b == 0xffffffffu)) WASMOPS_TRAP(ctx, WASMOPS_TRAP_INT_OVERFLOW);
  return (uint32_t)((int32_t)a / (int32_t)b);
}
WASMOPS_INLINE uint32_t wasmops_i32_div_u(wasmops_ctx* ctx, uint32_t a, uint32_t b) {
  if (WASMOPS_UNLIKELY(b == 0)) WASMOPS_TRAP(ctx, WASMOPS_TRAP_INT_DIV_ZERO);
  return a / b;
}
WASMOPS_INLINE uint32_t wasmops_i32_rem_s(wasmops_ctx* ctx, uint32_t a, uint32_t b) {
  if (WASMOPS_UNLIKELY(b == 0)) WASMOPS_TRAP(ctx, WASMOPS_TRAP_INT_DIV_ZERO);
  if (b == 0xffffffffu) return 0;
  return (uint32_t)((int32_t)a % (int32_t)b);
}
WASMOPS_INLINE uint32_t wasmops_i32_rem_u(wasmops_ctx* ctx, uint32_t a, uint32_t b) {
  if (WASMOPS_UNLIKELY(b == 0)) WASMOPS_TRAP(ctx, WASMOPS_TRAP_INT_DIV_ZERO);
  return a % b;
}
WASMOPS_INLINE uint64_t wasmops_i64_div_s(wasmops_ctx* ctx, uint64_t a, uint64_t b) {
  if (WASMOPS_UNLIKELY(b == 0)) WASMOPS_TRAP(ctx, WASMOPS_TRAP_INT_DIV_ZERO);
  if (WASMOPS_UNLIKELY(a == 0x8000000000000000ull && b == 0xffffffffffffffffull)) WASMOPS_TRAP(ctx, WASMOPS_TRAP_INT_OVERFLOW);
  return (uint64_t)((int64_t)a / (int64_t)b);
}
WASMOPS_INLINE uint64_t wasmops_i64_div_u(wasmops_ctx* ctx, uint64_t a, uint64_t b) {
  if (WASMOPS_UNLIKELY(b == 0)) WASMOPS_TRAP(ctx, WASMOPS_TRAP_INT_DIV_ZERO);
  return a / b;
}
WASMOPS_INLINE uint64_t wasmops_i64_rem_s(wasmops_ctx* ctx, uint64_t a, uint64_t b) {
  if (WASMOPS_UNLIKELY(b == 0)) WASMOPS_TRAP(ctx, WASMOPS_TRAP_INT_DIV_ZERO);
  if (b == 0xffffffffffffffffull) return 0;
  return (uint64_t)((int64_t)a % (int64_t)b);
}
WASMOPS_INLINE uint64_t wasmops_i64_rem_u(wasmops_ctx* ctx, uint64_t a, uint64_t b) {
  if (WASMOPS_UNLIKELY(b == 0)) WASMOPS_TRAP(ctx, WASMOPS_TRAP_INT_DIV_ZERO);
  return a % b;
}
WASMOPS_INLINE uint32_t wasmops_i32_shr_s(uint32_t a, uint32_t b) {
  b &= 31;
  return (a >> b) | ((a & 0x80000000u) && b ? ~(0xffffffffu >> b) : 0);
}
WASMOPS_INLINE uint64_t wasmops_i64_shr_s(uint64_t a, uint64_t b) {
  b &= 63;
  return (a >> b) | ((a & 0x8000000000000000ull) && b ? ~(0xffffffffffffffffull >> b) : 0);
}
WASMOPS_INLINE uint32_t wasmops_i32_rotl(uint32_t a, uint32_t b) { b &= 31; return b ? (a << b) | (a >> (32 - b)) : a; }
WASMOPS_INLINE uint32_t wasmops_i32_rotr(uint32_t a, uint32_t b) { b &= 31; return b ? (a >> b) | (a << (32 - b)) : a; }
WASMOPS_INLINE uint64_t wasmops_i64_rotl(uint64_t a, uint64_t b) { b &= 63; return b ? (a << b) | (a >> (64 - b)) : a; }
WASMOPS_INLINE uint64_t wasmops_i64_rotr(uint64_t a, uint64_t b) { b &= 63; return b ? (a >> b) | (a << (64 - b)) : a; }
#if defined(__GNUC__) && !defined(__TINYC__)
WASMOPS_INLINE uint32_t wasmops_i32_clz(uint32_t a) { return a ? (uint32_t)__builtin_clz(a) : 32; }
WASMOPS_INLINE uint32_t wasmops_i32_ctz(uint32_t a) { return a ? (uint32_t)__builtin_ctz(a) : 32; }
WASMOPS_INLINE uint32_t wasmops_i32_popcnt(uint32_t a) { return (uint32_t)__builtin_popcount(a); }
WASMOPS_INLINE uint64_t wasmops_i64_clz(uint64_t a) { return a ? (uint64_t)__builtin_clzll(a) : 64; }
WASMOPS_INLINE uint64_t wasmops_i64_ctz(uint64_t a) { return a ? (uint64_t)__builtin_ctzll(a) : 64; }
WASMOPS_INLINE uint64_t wasmops_i64_popcnt(uint64_t a) { return (uint64_t)__builtin_popcountll(a); }
#else
WASMOPS_INLINE uint64_t wasmops_i64_clz(uint64_t a) { uint64_t n = 0; if (!a) return 64; while (!(a & 0x8000000000000000ull)) { a <<= 1; ++n; } return n; }
WASMOPS_INLINE uint64_t wasmops_i64_ctz(uint64_t a) { uint64_t n = 0; if (!a) return 64; while (!(a & 1)) { a >>= 1; ++n; } return n; }
WASMOPS_INLINE uint64_t wasmops_i64_popcnt(uint64_t a) { uint64_t n = 0; while (a) { a &= a - 1; ++n; } return n; }
WASMOPS_INLINE uint32_t wasmops_i32_clz(uint32_t a) { return a ? (uint32_t)wasmops_i64_clz(a) - 32 : 32; }
WASMOPS_INLINE uint32_t wasmops_i32_ctz(uint32_t a) { return a ? (uint32_t)wasmops_i64_ctz(a) : 32; }
WASMOPS_INLINE uint32_t wasmops_i32_popcnt(uint32_t a) { return (uint32_t)wasmops_i64_popcnt(a); }
#endif

/* ---- float helpers: bit-exact wasm semantics ---- */
WASMOPS_INLINE uint32_t wasmops_f32_bits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
WASMOPS_INLINE float wasmops_f32_from(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
WASMOPS_INLINE uint64_t wasmops_f64_bits(double f) { uint64_t u; memcpy(&u, &f, 8); return u; }
WASMOPS_INLINE double wasmops_f64_from(uint64_t u) { double f; memcpy(&f, &u, 8); return f; }
WASMOPS_INLINE float wasmops_f32_neg(float a) { return wasmops_f32_from(wasmops_f32_bits(a) ^ 0x80000000u); }
WASMOPS_INLINE float wasmops_f32_abs(float a) { return wasmops_f32_from(wasmops_f32_bits(a) & 0x7fffffffu); }
WASMOPS_INLINE float wasmops_f32_copysign(float a, float b) {
  return wasmops_f32_from((wasmops_f32_bits(a) & 0x7fffffffu) | (wasmops_f32_bits(b) & 0x80000000u));
}
WASMOPS_INLINE double wasmops_f64_neg(double a) { return wasmops_f64_from(wasmops_f64_bits(a) ^ 0x8000000000000000ull); }
WASMOPS_INLINE double wasmops_f64_abs(double a) { return wasmops_f64_from(wasmops_f64_bits(a) & 0x7fffffffffffffffull); }
WASMOPS_INLINE double wasmops_f64_copysign(double a, double b) {
  return wasmops_f64_from((wasmops_f64_bits(a) & 0x7fffffffffffffffull) | (wasmops_f64_bits(b) & 0x8000000000000000ull));
}
/* NaN in, canonical-or-arithmetic NaN out: a + b propagates a quiet NaN. */
WASMOPS_INLINE float wasmops_f32_min(float a, float b) {
  if (a != a || b != b) return a + b;
  if (a == 0 && b == 0) return wasmops_f32_from(wasmops_f32_bits(a) | wasmops_f32_bits(b));
  return a < b ? a : b;
}
WASMOPS_INLINE float wasmops_f32_max(float a, float b) {
  if (a != a || b != b) return a + b;
  if (a == 0 && b == 0) return wasmops_f32_from(wasmops_f32_bits(a) & wasmops_f32_bits(b));
  return a > b ? a : b;
}
WASMOPS_INLINE double wasmops_f64_min(double a, double b) {
  if (a != a || b != b) return a + b;
  if (a == 0 && b == 0) return wasmops_f64_from(wasmops_f64_bits(a) | wasmops_f64_bits(b));
  return a < b ? a : b;
}
WASMOPS_INLINE double wasmops_f64_max(double a, double b) {
  if (a != a || b != b) return a + b;
  if (a == 0 && b == 0) return wasmops_f64_from(wasmops_f64_bits(a) & wasmops_f64_bits(b));
  return a > b ? a : b;
}
/* gcc folds demote(promote(x)) to x even under -fsignaling-nans, which
 * would let a signaling NaN through unquieted: quiet NaNs explicitly. */
WASMOPS_INLINE double wasmops_f64_promote(float a) {
  double r = (double)a;
  if (r != r) r = wasmops_f64_from(wasmops_f64_bits(r) | 0x0008000000000000ull);
  return r;
}
WASMOPS_INLINE float wasmops_f32_demote(double a) {
  float r = (float)a;
  if (r != r) r = wasmops_f32_from(wasmops_f32_bits(r) | 0x00400000u);
  return r;
}
/* libm rounding functions return a quiet NaN for NaN input, as wasm needs. */
WASMOPS_INLINE float wasmops_f32_nearest(float a) { return nearbyintf(a); }
WASMOPS_INLINE double wasmops_f64_nearest(double a) { return nearbyint(a); }

/* ---- float -> int conversions: trapping and saturating ---- */
#define WASMOPS_DEF_TRUNC(NAME, FT, IT, UT, BOUNDS)                                    \
  WASMOPS_INLINE UT wasmops_##NAME(wasmops_ctx* ctx, FT a) {                           \
    double d = (double)a; /* exact for f32, so one set of bounds serves both */        \
    if (WASMOPS_UNLIKELY(d != d)) WASMOPS_TRAP(ctx, WASMOPS_TRAP_INVALID_CONVERSION);  \
    if (WASMOPS_UNLIKELY(!(d > BOUNDS##_LO && d < BOUNDS##_HI))) WASMOPS_TRAP(ctx, WASMOPS_TRAP_INT_OVERFLOW); \
    return (UT)(IT)d;                                                                  \
  }                                                                                    \
  WASMOPS_INLINE UT wasmops_##NAME##_sat(FT a) {                                       \
    double d = (double)a;                                                              \
    if (d != d) return 0;                                                              \
    if (!(d > BOUNDS##_LO)) return (UT)(IT)(BOUNDS##_LO_SAT);                          \
    if (!(d < BOUNDS##_HI)) return (UT)(IT)(BOUNDS##_HI_SAT);                          \
    return (UT)(IT)d;                                                                  \
  }
/* Bounds are exclusive and exactly representable in the float type. */
#define WASMOPS_I32S_LO -2147483649.0
#define WASMOPS_I32S_HI 2147483648.0
#define WASMOPS_I32S_LO_SAT (-2147483647 - 1)
#define WASMOPS_I32S_HI_SAT 2147483647
#define WASMOPS_U32_LO -1.0
#define WASMOPS_U32_HI 4294967296.0
#define WASMOPS_U32_LO_SAT 0u
#define WASMOPS_U32_HI_SAT 4294967295u
#define WASMOPS_I64S_LO -9223372036854777856.0
#define WASMOPS_I64S_HI 9223372036854775808.0
#define WASMOPS_I64S_LO_SAT (-9223372036854775807ll - 1)
#define WASMOPS_I64S_HI_SAT 9223372036854775807ll
#define WASMOPS_U64_LO -1.0
#define WASMOPS_U64_HI 18446744073709551616.0
#define WASMOPS_U64_LO_SAT 0ull
#define WASMOPS_U64_HI_SAT 18446744073709551615ull
WASMOPS_DEF_TRUNC(i32_trunc_f32_s, float, int32_t, uint32_t, WASMOPS_I32S)
WASMOPS_DEF_TRUNC(i32_trunc_f32_u, float, uint32_t, uint32_t, WASMOPS_U32)
WASMOPS_DEF_TRUNC(i32_trunc_f64_s, double, int32_t, uint32_t, WASMOPS_I32S)
WASMOPS_DEF_TRUNC(i32_trunc_f64_u, double, uint32_t, uint32_t, WASMOPS_U32)
WASMOPS_DEF_TRUNC(i64_trunc_f32_s, float, int64_t, uint64_t, WASMOPS_I64S)
WASMOPS_DEF_TRUNC(i64_trunc_f32_u, float, uint64_t, uint64_t, WASMOPS_U64)
WASMOPS_DEF_TRUNC(i64_trunc_f64_s, double, int64_t, uint64_t, WASMOPS_I64S)
WASMOPS_DEF_TRUNC(i64_trunc_f64_u, double, uint64_t, uint64_t, WASMOPS_U64)

/* u64 -> float: C's conversion rounds correctly on gcc/clang; tcc's is
 * checked by the spec suite. */
WASMOPS_INLINE float wasmops_f32_convert_i64_u(uint64_t a) { return (float)a; }
WASMOPS_INLINE double wasmops_f64_convert_i64_u(uint64_t a) { return (double)a; }
/* NOLINTEND(modernize-use-using) */
#endif
