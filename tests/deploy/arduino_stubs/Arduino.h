/* Just enough of the Arduino API for a syntax check of the exported sketches on the host (g++). */
#ifndef ARDUINO_STUB_H
#define ARDUINO_STUB_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>
struct SerialStub {
    void begin(long) {}
    explicit operator bool() const { return true; }
    void print(const char *) {}
    void print(char) {}
    void print(double, int) {}
    void println() {}
    void println(const char *) {}
    void println(double, int) {}
};
extern SerialStub Serial;
unsigned long micros();
#endif
