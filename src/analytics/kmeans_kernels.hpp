#pragma once
// Distance loops over column-major features, shared by k-means and the silhouette. Rows are
// processed in blocks small enough to stay in L1; every loop runs over contiguous doubles of one
// feature so that it vectorizes across rows.
//
// Every form below computes a squared distance the same way, feature 0 first:
// ((t0² + t1²) + t2²) ..., lane by lane, so vector and scalar paths give identical results.

#include <bit>
#include <cstddef>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace crmkit::analytics::detail {

/// Rows per block in the distance loops.
inline constexpr std::size_t kmeans_block_rows = 256;

/// dist[i] = squared distance from row begin + i to `point`, for i in [0, n).
/// `columns` holds feature c of row r at [c * stride + r]; C is the feature count when known at
/// compile time (0: `cols` at run time).
template <std::size_t C>
inline void block_distances(const double* columns, std::size_t stride, std::size_t cols,
                            std::size_t begin, std::size_t n, const double* point, double* dist) {
  if constexpr (C == 0) {
    for (std::size_t i = 0; i < n; ++i) dist[i] = 0;
    for (std::size_t c = 0; c < cols; ++c) {
      const double* col = columns + c * stride + begin;
      const double p = point[c];
      for (std::size_t i = 0; i < n; ++i) {
        const double t = col[i] - p;
        dist[i] += t * t;
      }
    }
  } else {
    const double* col[C];
    double p[C];
    for (std::size_t c = 0; c < C; ++c) {
      col[c] = columns + c * stride + begin;
      p[c] = point[c];
    }
    for (std::size_t i = 0; i < n; ++i) {
      double d = 0;
      for (std::size_t c = 0; c < C; ++c) {
        const double t = col[c][i] - p[c];
        d += t * t;
      }
      dist[i] = d;
    }
  }
}

/// Sum of values[0..n) with four interleaved accumulators (a fixed order, so still
/// deterministic) to break the latency chain of one long sum.
inline double block_sum(const double* values, std::size_t n) {
  double acc[4] = {0, 0, 0, 0};
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    acc[0] += values[i];
    acc[1] += values[i + 1];
    acc[2] += values[i + 2];
    acc[3] += values[i + 3];
  }
  for (; i < n; ++i) acc[i % 4] += values[i];
  return (acc[0] + acc[1]) + (acc[2] + acc[3]);
}

/// The k × cols centres (row-major) with every value repeated twice: the two-lane broadcasts
/// nearest_centers reads, made once per pass rather than once per row.
inline void splat_centers(const double* centers, std::size_t values, double* splat) {
  for (std::size_t v = 0; v < values; ++v) splat[2 * v] = splat[2 * v + 1] = centers[v];
}

/// For rows begin + i, i in [0, n): best[i] = the smallest squared distance to the k centres
/// (row-major, k × cols; `splat` is their splat_centers form) and nearest[i] = the index of that
/// centre as a double (the lowest index on ties). `scratch` holds n doubles.
template <std::size_t C>
inline void nearest_centers(const double* columns, std::size_t stride, std::size_t cols,
                            std::size_t begin, std::size_t n, const double* centers,
                            const double* splat, std::size_t k, double* best, double* nearest,
                            double* scratch) {
  std::size_t i = 0;
#if defined(__GNUC__)
  // GCC does not if-convert the compare-and-select for baseline x86-64 (SSE2), so it is written
  // with two-lane vectors: four rows per step, loaded once, every centre compared in registers.
  if constexpr (C != 0) {
    using Lanes = double __attribute__((vector_size(16)));
    using Mask = long long __attribute__((vector_size(16)));
    const auto load = [](const double* p) {
      Lanes v;
      std::memcpy(&v, p, sizeof v);
      return v;
    };
    const auto store = [](double* p, Lanes v) { std::memcpy(p, &v, sizeof v); };
    // Labels only grow with j, so "j when closer, else keep" is max(nearest, j masked by closer),
    // and the smaller distance is min(best, d) (minpd's exact rule: d < best ? d : best).
    const auto select = [](Lanes d, Lanes label, Lanes& best_d, Lanes& near) {
      const Mask closer = d < best_d;
      const Lanes taken = std::bit_cast<Lanes>(std::bit_cast<Mask>(label) & closer);
      near = near < taken ? taken : near;
#if defined(__SSE2__)
      best_d = _mm_min_pd(d, best_d);
#else
      best_d = d < best_d ? d : best_d;
#endif
    };
    const auto distances = [](const Lanes* xa, const Lanes* xb, const double* center, Lanes& da,
                              Lanes& db) {
      for (std::size_t c = 0; c < C; ++c) {
        Lanes p;
        std::memcpy(&p, center + 2 * c, sizeof p);
        const Lanes ta = xa[c] - p;
        const Lanes tb = xb[c] - p;
        da = c == 0 ? ta * ta : da + ta * ta;
        db = c == 0 ? tb * tb : db + tb * tb;
      }
    };
    const Lanes one = {1.0, 1.0};
    const double* col[C];
    for (std::size_t c = 0; c < C; ++c) col[c] = columns + c * stride + begin;
    for (; i + 4 <= n; i += 4) {
      Lanes xa[C];
      Lanes xb[C];
      for (std::size_t c = 0; c < C; ++c) {
        xa[c] = load(col[c] + i);
        xb[c] = load(col[c] + i + 2);
      }
      Lanes best_a{};
      Lanes best_b{};
      distances(xa, xb, splat, best_a, best_b);
      Lanes near_a{};
      Lanes near_b{};
      Lanes label{};
      for (std::size_t j = 1; j < k; ++j) {
        Lanes da{};
        Lanes db{};
        distances(xa, xb, splat + 2 * j * C, da, db);
        label += one;  // exact: small integers
        select(da, label, best_a, near_a);
        select(db, label, best_b, near_b);
      }
      store(best + i, best_a);
      store(best + i + 2, best_b);
      store(nearest + i, near_a);
      store(nearest + i + 2, near_b);
    }
  }
#endif
  if (i == n) return;
  // The remaining rows (all of them without vector support, or with a run-time feature count).
  const std::size_t m = n - i;
  block_distances<C>(columns, stride, cols, begin + i, m, centers, best + i);
  for (std::size_t r = i; r < n; ++r) nearest[r] = 0;
  for (std::size_t j = 1; j < k; ++j) {
    block_distances<C>(columns, stride, cols, begin + i, m, centers + j * cols, scratch);
    const double label = static_cast<double>(j);
    for (std::size_t r = 0; r < m; ++r) {
      const bool closer = scratch[r] < best[i + r];
      best[i + r] = closer ? scratch[r] : best[i + r];
      nearest[i + r] = closer ? label : nearest[i + r];
    }
  }
}

}  // namespace crmkit::analytics::detail
