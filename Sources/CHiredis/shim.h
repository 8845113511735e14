#ifndef AIWORKER_CHIREDIS_SHIM_H
#define AIWORKER_CHIREDIS_SHIM_H
#include <hiredis/hiredis.h>
#endif
