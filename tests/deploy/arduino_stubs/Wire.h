#ifndef WIRE_STUB_H
#define WIRE_STUB_H
#include <stdint.h>
struct WireStub {
    void begin();
    void beginTransmission(uint8_t);
    unsigned write(uint8_t);
    uint8_t endTransmission(bool stop = true);
    uint8_t requestFrom(int, int);
    int available();
    int read();
};
extern WireStub Wire;
#endif
