#pragma once
/// @file
/// @brief The core layer: ids, money, time, contact values, attributes and errors.

#include "crmkit/core/attribute.hpp"
#include "crmkit/core/contact.hpp"
#include "crmkit/core/error.hpp"
#include "crmkit/core/id.hpp"
#include "crmkit/core/money.hpp"
#include "crmkit/core/time.hpp"
