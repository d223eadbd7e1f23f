#pragma once
/// @file
/// The analytics layer: customer summaries, RFM, segments, k-means, cohorts, ABC, and the
/// customer-lifetime-value models (crmkit/analytics/clv.hpp), on columns.

#include "crmkit/analytics/abc.hpp"
#include "crmkit/analytics/clv.hpp"
#include "crmkit/analytics/cohorts.hpp"
#include "crmkit/analytics/customer_summary.hpp"
#include "crmkit/analytics/kmeans.hpp"
#include "crmkit/analytics/period.hpp"
#include "crmkit/analytics/purchases.hpp"
#include "crmkit/analytics/rfm.hpp"
#include "crmkit/analytics/segments.hpp"
#include "crmkit/analytics/store_purchases.hpp"
