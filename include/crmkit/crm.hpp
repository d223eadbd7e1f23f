#pragma once
/// @file
/// @brief The operations layer: the Crm facade, events, timelines and pipeline metrics.

#include "crmkit/crm/crm.hpp"
#include "crmkit/crm/events.hpp"
#include "crmkit/crm/pipeline_metrics.hpp"
#include "crmkit/crm/timeline.hpp"
