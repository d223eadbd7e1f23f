#pragma once
/// @file
/// @brief The domain layer: plain value types and their invariants.

#include "crmkit/domain/customer.hpp"
#include "crmkit/domain/deal.hpp"
#include "crmkit/domain/interaction.hpp"
#include "crmkit/domain/pipeline.hpp"
#include "crmkit/domain/purchase.hpp"
#include "crmkit/domain/validation.hpp"
