// JCCL native reduce kernels: the functions dev.jccl.nativekernels.NativeReduce binds through JavaCPP.
//
// The library is built for plain x86-64 (JavaCPP's -march=x86-64, never -march=native). The same
// kernels (jccl_kernels.inc) are compiled three times in `#pragma GCC target` regions:
//   level 0  sse2    16-byte vectors, binary16 converted in software
//   level 1  avx2    32-byte vectors, binary16 converted with F16C          (needs avx2, f16c)
//   level 2  avx512  64-byte vectors, binary16 converted with AVX-512F      (needs avx512f/bw/dq/vl)
// and jccl_cpu_level() picks the highest one this CPU and OS support (__builtin_cpu_supports also
// checks that the OS saves the wider registers).
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <immintrin.h>

#if !defined(__x86_64__) || !defined(__GNUC__)
#error "the JCCL native kernels are written for x86-64 with GCC"
#endif

// IEEE semantics exactly as Java's: no FMA contraction, no reassociation (also set on the command line).
#pragma GCC optimize("fp-contract=off", "no-fast-math")

// DataType ids (NCCL's ncclDataType_t), see dev.jccl.DataType
enum
{
    JCCL_INT8 = 0,
    JCCL_UINT8 = 1,
    JCCL_INT32 = 2,
    JCCL_UINT32 = 3,
    JCCL_INT64 = 4,
    JCCL_UINT64 = 5,
    JCCL_FLOAT16 = 6,
    JCCL_FLOAT32 = 7,
    JCCL_FLOAT64 = 8,
    JCCL_BFLOAT16 = 9
};

// ReduceOp ids (NCCL's ncclRedOp_t), see dev.jccl.ReduceOp
enum
{
    JCCL_SUM = 0,
    JCCL_PROD = 1,
    JCCL_MAX = 2,
    JCCL_MIN = 3,
    JCCL_AVG = 4
};

// Levels, as dev.jccl.nativekernels.Isa numbers them
enum
{
    JCCL_LEVEL_SSE2 = 0,
    JCCL_LEVEL_AVX2 = 1,
    JCCL_LEVEL_AVX512 = 2
};

namespace jccl {

template <class T> static inline T get(const char* p)
{
    T v;
    memcpy(&v, p, sizeof(T));
    return v;
}

template <class T> static inline void put(char* p, T v)
{
    memcpy(p, &v, sizeof(T));
}

// No SIMD integer division: one element at a time, truncated, unsigned for unsigned types (as Java).
static int divide_integers(int type, char* p, int64_t count, int32_t divisor)
{
    switch (type)
    {
    case JCCL_INT8:
        for (int64_t i = 0; i < count; i++) put<int8_t>(p + i, (int8_t)(get<int8_t>(p + i) / divisor));
        return 0;
    case JCCL_UINT8:
        for (int64_t i = 0; i < count; i++) put<uint8_t>(p + i, (uint8_t)(get<uint8_t>(p + i) / (uint32_t)divisor));
        return 0;
    case JCCL_INT32:
        for (int64_t i = 0; i < count; i++) put<int32_t>(p + 4 * i, get<int32_t>(p + 4 * i) / divisor);
        return 0;
    case JCCL_UINT32:
        for (int64_t i = 0; i < count; i++) put<uint32_t>(p + 4 * i, get<uint32_t>(p + 4 * i) / (uint32_t)divisor);
        return 0;
    case JCCL_INT64:
        for (int64_t i = 0; i < count; i++) put<int64_t>(p + 8 * i, get<int64_t>(p + 8 * i) / (int64_t)divisor);
        return 0;
    case JCCL_UINT64:
        for (int64_t i = 0; i < count; i++) put<uint64_t>(p + 8 * i, get<uint64_t>(p + 8 * i) / (uint64_t)divisor);
        return 0;
    }
    return -1;
}

}  // namespace jccl

// ---- level 0: baseline x86-64 (SSE2) ----
#define JCCL_NS jccl_sse2
#define JCCL_VB 16
#define JCCL_F16C 0
#include "jccl_kernels.inc"
#undef JCCL_NS
#undef JCCL_VB
#undef JCCL_F16C

// ---- level 1: AVX2 + F16C ----
#pragma GCC push_options
#pragma GCC target("avx2,f16c")
#define JCCL_NS jccl_avx2
#define JCCL_VB 32
#define JCCL_F16C 1
#include "jccl_kernels.inc"
#undef JCCL_NS
#undef JCCL_VB
#undef JCCL_F16C
#pragma GCC pop_options

// ---- level 2: AVX-512 (F, BW, DQ, VL) ----
#pragma GCC push_options
#pragma GCC target("avx512f,avx512bw,avx512dq,avx512vl,avx2,f16c")
// GCC 12's avx512fintrin.h trips these warnings on its own _mm256_undefined_si256() temporaries
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#define JCCL_NS jccl_avx512
#define JCCL_VB 64
#define JCCL_F16C 1
#include "jccl_kernels.inc"
#undef JCCL_NS
#undef JCCL_VB
#undef JCCL_F16C
#pragma GCC diagnostic pop
#pragma GCC pop_options

// CPU features the levels need, as bits of jccl_cpu_features() (dev.jccl.nativekernels.CpuFeatures)
enum
{
    JCCL_FEATURE_AVX2 = 1 << 0,
    JCCL_FEATURE_F16C = 1 << 1,
    JCCL_FEATURE_AVX512F = 1 << 2,
    JCCL_FEATURE_AVX512BW = 1 << 3,
    JCCL_FEATURE_AVX512DQ = 1 << 4,
    JCCL_FEATURE_AVX512VL = 1 << 5
};

/** The features of this CPU and OS that the levels need (__builtin_cpu_supports also checks XCR0). */
static inline int jccl_cpu_features()
{
    __builtin_cpu_init();
    return (__builtin_cpu_supports("avx2") ? JCCL_FEATURE_AVX2 : 0)
        | (__builtin_cpu_supports("f16c") ? JCCL_FEATURE_F16C : 0)
        | (__builtin_cpu_supports("avx512f") ? JCCL_FEATURE_AVX512F : 0)
        | (__builtin_cpu_supports("avx512bw") ? JCCL_FEATURE_AVX512BW : 0)
        | (__builtin_cpu_supports("avx512dq") ? JCCL_FEATURE_AVX512DQ : 0)
        | (__builtin_cpu_supports("avx512vl") ? JCCL_FEATURE_AVX512VL : 0);
}

/**
 * The dispatch decision: the highest level a CPU with these features runs (0 sse2, 1 avx2, 2 avx512).
 * A pure function of its argument, so that tests can ask it about CPUs they do not run on.
 */
static inline int jccl_level_for(int features)
{
    const int avx2 = JCCL_FEATURE_AVX2 | JCCL_FEATURE_F16C;
    const int avx512 = avx2 | JCCL_FEATURE_AVX512F | JCCL_FEATURE_AVX512BW | JCCL_FEATURE_AVX512DQ | JCCL_FEATURE_AVX512VL;
    if ((features & avx512) == avx512)
    {
        return JCCL_LEVEL_AVX512;
    }
    return (features & avx2) == avx2 ? JCCL_LEVEL_AVX2 : JCCL_LEVEL_SSE2;
}

/** Highest level this CPU and OS run: 0 sse2, 1 avx2, 2 avx512. */
static inline int jccl_cpu_level()
{
    static int level = -1;
    if (level < 0)
    {
        level = jccl_level_for(jccl_cpu_features());
    }
    return level;
}

/**
 * dst[i] = op(a[i], b[i]) for count elements at the given level.
 * @return 0; -1 for an unknown type or op; -2 for a level this CPU cannot run.
 */
static inline int jccl_reduce(int level, int type, int op, long long dst, long long a, long long b, long long count)
{
    if (level < 0 || level > jccl_cpu_level())
    {
        return -2;
    }
    char* d = (char*)(intptr_t)dst;
    const char* x = (const char*)(intptr_t)a;
    const char* y = (const char*)(intptr_t)b;
    switch (level)
    {
    case JCCL_LEVEL_AVX512: return jccl_avx512::reduce(type, op, d, x, y, count);
    case JCCL_LEVEL_AVX2: return jccl_avx2::reduce(type, op, d, x, y, count);
    default: return jccl_sse2::reduce(type, op, d, x, y, count);
    }
}

/**
 * x[i] = x[i] / divisor for count elements at the given level.
 * @return 0; -1 for an unknown type; -2 for a level this CPU cannot run.
 */
static inline int jccl_divide(int level, int type, long long address, long long count, int divisor)
{
    if (level < 0 || level > jccl_cpu_level())
    {
        return -2;
    }
    char* p = (char*)(intptr_t)address;
    switch (level)
    {
    case JCCL_LEVEL_AVX512: return jccl_avx512::divide(type, p, count, divisor);
    case JCCL_LEVEL_AVX2: return jccl_avx2::divide(type, p, count, divisor);
    default: return jccl_sse2::divide(type, p, count, divisor);
    }
}

/** jccl_reduce over pinned Java arrays (dst = op(dst, src)); for the heap benchmarks. */
static inline int jccl_reduce_pinned(int level, int type, int op, char* dst, char* src, long long count)
{
    return jccl_reduce(level, type, op, (long long)(intptr_t)dst, (long long)(intptr_t)dst, (long long)(intptr_t)src, count);
}

/**
 * memcpy between raw addresses (non-overlapping). Why not the JVM's own copy: its stub stores
 * vector by vector, so every destination line not owned yet is first read for ownership, from the
 * core that last read it in a shared-memory ring; the C library's memcpy (rep movsb or
 * non-temporal stores for large sizes, chosen per CPU) writes whole lines without that read.
 */
static inline void jccl_copy(long long dst, long long src, long long bytes)
{
    memcpy((void*)(intptr_t)dst, (const void*)(intptr_t)src, (size_t)bytes);
}
