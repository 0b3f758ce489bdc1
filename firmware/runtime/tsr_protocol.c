/* tsr_protocol.c - CRC-16/CCITT-FALSE and COBS for the runner protocol (see tsr_protocol.h). */
#include "tsr_protocol.h"

uint16_t tsr_crc16(const uint8_t *data, size_t len, uint16_t crc)
{
    size_t i;
    for (i = 0; i < len; i++) {
        unsigned bit;
        crc = (uint16_t)(crc ^ ((uint16_t)data[i] << 8));
        for (bit = 0; bit < 8u; bit++) {
            if (crc & 0x8000u) {
                crc = (uint16_t)((crc << 1) ^ 0x1021u);
            } else {
                crc = (uint16_t)(crc << 1);
            }
        }
    }
    return crc;
}

size_t tsr_cobs_encode(const uint8_t *in, size_t len, uint8_t *out)
{
    size_t read = 0;
    size_t write = 1;
    size_t code_at = 0;
    uint8_t code = 1;
    while (read < len) {
        uint8_t b = in[read++];
        if (b == 0u) {
            out[code_at] = code;
            code_at = write++;
            code = 1;
        } else {
            out[write++] = b;
            code++;
            if (code == 0xFFu) {
                out[code_at] = code;
                code_at = write++;
                code = 1;
            }
        }
    }
    out[code_at] = code;
    return write;
}

int tsr_cobs_decode(const uint8_t *in, size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
    size_t read = 0;
    size_t write = 0;
    while (read < len) {
        uint8_t code = in[read++];
        uint8_t i;
        if (code == 0u) {
            return -1;
        }
        for (i = 1; i < code; i++) {
            if (read >= len || in[read] == 0u || write >= cap) {
                return -1;
            }
            out[write++] = in[read++];
        }
        if (code != 0xFFu && read < len) {
            if (write >= cap) {
                return -1;
            }
            out[write++] = 0;
        }
    }
    *out_len = write;
    return 0;
}
