#ifndef PDM_STUB_H
#define PDM_STUB_H
struct PdmStub {
    void onReceive(void (*)());
    int begin(int, long);
    int available();
    int read(void *, int);
};
extern PdmStub PDM;
#endif
