#include "sbx_child.h"
#include "sbx_constants.h"
#include "sbx_failure.h"
#include "sbx_host.h"
