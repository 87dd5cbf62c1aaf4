// The yardstick of the kernel benchmarks: the plain C loop `a[i] += b[i]` at -O3, called through
// JNI exactly as the kernels are, so one JMH run measures both. Two builds of the same loop:
//   *_o3    what `gcc -O3` gives for plain x86-64 (SSE2), as a shipped library must be built
//   *_avx2  what `gcc -O3 -march=native` would give on an AVX2 machine (the stronger yardstick)
// Bound by dev.jccl.nativekernels.CReferenceLoops; not used by the library itself.
#pragma once

#include <stddef.h>
#include <stdint.h>

__attribute__((noinline)) static void jccl_ref_add_f32_o3_impl(float* __restrict a, const float* __restrict b, size_t n)
{
    for (size_t i = 0; i < n; i++)
    {
        a[i] += b[i];
    }
}

__attribute__((noinline)) static void jccl_ref_add_f64_o3_impl(double* __restrict a, const double* __restrict b, size_t n)
{
    for (size_t i = 0; i < n; i++)
    {
        a[i] += b[i];
    }
}

__attribute__((noinline, target("avx2"))) static void jccl_ref_add_f32_avx2_impl(float* __restrict a, const float* __restrict b, size_t n)
{
    for (size_t i = 0; i < n; i++)
    {
        a[i] += b[i];
    }
}

__attribute__((noinline, target("avx2"))) static void jccl_ref_add_f64_avx2_impl(double* __restrict a, const double* __restrict b, size_t n)
{
    for (size_t i = 0; i < n; i++)
    {
        a[i] += b[i];
    }
}

static inline int jccl_ref_has_avx2()
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") ? 1 : 0;
}

static inline void jccl_ref_add_f32_o3(long long a, long long b, long long n)
{
    jccl_ref_add_f32_o3_impl((float*)(intptr_t)a, (const float*)(intptr_t)b, (size_t)n);
}

static inline void jccl_ref_add_f64_o3(long long a, long long b, long long n)
{
    jccl_ref_add_f64_o3_impl((double*)(intptr_t)a, (const double*)(intptr_t)b, (size_t)n);
}

static inline void jccl_ref_add_f32_avx2(long long a, long long b, long long n)
{
    jccl_ref_add_f32_avx2_impl((float*)(intptr_t)a, (const float*)(intptr_t)b, (size_t)n);
}

static inline void jccl_ref_add_f64_avx2(long long a, long long b, long long n)
{
    jccl_ref_add_f64_avx2_impl((double*)(intptr_t)a, (const double*)(intptr_t)b, (size_t)n);
}
