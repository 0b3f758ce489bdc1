/* model.c - no network in the data-collection firmware (see model.h). */
#include "model.h"

int ts_model_invoke(const int8_t *input, int8_t *output)
{
    (void)input;
    (void)output;
    return -1;
}
