/*
 * lsm6dsl.h - the B-L475E-IOT01A's LSM6DSL accelerometer and gyroscope on I2C2 (PB10 SCL, PB11 SDA),
 * address 0x6A, run at 104 Hz, +/-2 g and +/-250 dps.
 */
#ifndef LSM6DSL_H
#define LSM6DSL_H

#include <stdint.h>

#define LSM6DSL_AXES 6u

/* Route the pins, start I2C2 (its clock must be on) and the sensor at 104 Hz; 0, or -1 when it does not
 * answer with its WHO_AM_I value. */
int lsm6dsl_init(void);
/* Wait (at most one output period) for a new sample, read all six axes: ax, ay, az in m/s^2, then gx,
 * gy, gz in degrees per second; 0, or -1 on a bus error. */
int lsm6dsl_read(float *values);

#endif /* LSM6DSL_H */
