#pragma once
/// @file
/// Customer-lifetime-value models: BG/NBD, MBG/NBD, Pareto/NBD, BG/BB and Gamma-Gamma.

#include "crmkit/analytics/clv/fit.hpp"
#include "crmkit/analytics/clv/gamma_gamma.hpp"
#include "crmkit/analytics/clv/holdout.hpp"
#include "crmkit/analytics/clv/lifetime_value.hpp"
#include "crmkit/analytics/clv/models.hpp"
#include "crmkit/analytics/clv/simulate.hpp"
#include "crmkit/analytics/clv/summary_data.hpp"
#include "crmkit/analytics/clv/transaction_model.hpp"
