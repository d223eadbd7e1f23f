#pragma once
/// @file
/// @brief Umbrella header: includes every public header of crmkit.

#include "crmkit/analytics.hpp"
#include "crmkit/core.hpp"
#include "crmkit/crm.hpp"
#include "crmkit/domain.hpp"
#include "crmkit/io.hpp"
#include "crmkit/storage.hpp"
#include "crmkit/version.hpp"
