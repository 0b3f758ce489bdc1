#ifndef IMU_STUB_H
#define IMU_STUB_H
struct ImuStub {
    int begin();
    int accelerationAvailable();
    int gyroscopeAvailable();
    int magneticFieldAvailable();
    int readAcceleration(float &, float &, float &);
    int readGyroscope(float &, float &, float &);
    int readMagneticField(float &, float &, float &);
};
extern ImuStub IMU;
#endif
