/*
 * tsr_protocol.h - the runner protocol's framing: CRC-16 and COBS, shared by every board.
 *
 * A frame on the wire is COBS(type u8 | seq u8 | length u16 LE | payload | crc u16 LE) followed by
 * one 0x00 delimiter. The CRC is CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection,
 * xorout 0; check value 0x29B1 for "123456789") over type, seq, length and payload.
 * A response carries the request's seq and type | 0x80, or TSR_MSG_ERROR.
 */
#ifndef TSR_PROTOCOL_H
#define TSR_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#define TSR_PROTOCOL_VERSION 1u
#define TSR_FIRMWARE_VERSION_MAJOR 0u
#define TSR_FIRMWARE_VERSION_MINOR 2u

#define TSR_MAX_PAYLOAD 512u
#define TSR_HEADER_BYTES 4u
#define TSR_CRC_BYTES 2u
#define TSR_MAX_FRAME (TSR_HEADER_BYTES + TSR_MAX_PAYLOAD + TSR_CRC_BYTES)
/* COBS adds one byte per 254 bytes, plus one. */
#define TSR_MAX_ENCODED (TSR_MAX_FRAME + TSR_MAX_FRAME / 254u + 2u)

/* Requests (host -> board). */
#define TSR_MSG_HELLO 0x01u  /* -> board, model and memory facts */
#define TSR_MSG_INFER 0x02u  /* [whole raw window] or [] to use the uploaded one -> status, counts, output */
#define TSR_MSG_UPLOAD 0x03u /* u32 offset | bytes: write into the input window -> u32 end offset */
#define TSR_MSG_READ 0x04u   /* u32 offset | u16 count: read the last output -> bytes */
#define TSR_MSG_BENCH 0x05u  /* u16 runs -> runs, NN min/mean/max, DSP min/mean/max */
#define TSR_MSG_STACK 0x06u  /* -> painted stack bytes, peak bytes used since boot */
#define TSR_MSG_STREAM 0x07u /* u32 lines | u32 interval_us | u8 mode -> ack, lines, end */
#define TSR_MSG_BYE 0x08u    /* -> ack, then the board stops */
#define TSR_MSG_FEATURES 0x09u /* u32 offset | u16 count: read the last float32 DSP features -> bytes */
#define TSR_MSG_INFER_AT 0x0Au /* u32 index: INFER on window index of the test set placed in memory at launch */
#define TSR_MSG_PROFILE 0x0Eu /* u16 runs (0: the last inference) -> status, runs, ops, NN min, NN median */
#define TSR_MSG_PROFILE_READ 0x0Fu /* u16 first op | u16 count -> per op: u16 op index, u32 min, u32 median */
#define TSR_MSG_LIVE_START 0x12u   /* classify the board's own sensor stream (tsr_live.h) -> live facts */
#define TSR_MSG_LIVE_CONTROL 0x13u /* u8 op (stop, grant) | u32 windows -> windows, samples, credit, live */
#define TSR_MSG_FORMAT 0x0Bu    /* u8 sample format | f32 scale | f32 offset: how later windows travel -> u32 window bytes */
#define TSR_MSG_INFER_RUN 0x0Cu /* u32 first | u32 count | u8 flags: INFER_AT on count windows -> RUN_PART frames */
#define TSR_MSG_INFER_ALL 0x0Du /* u8 flags | [whole window] or []: INFER answered as RUN_PART frames */
#define TSR_BULK_MAGIC 0x31425354u /* "TSB1": header of a test set in memory: magic, count, window bytes, format */

/* HELLO ends (after the model hash) with u32 capabilities; a board of protocol 1 without them sends
   nothing there, which a host reads as no capability. */
#define TSR_CAP_INPUT_I16 (1u << 0)  /* FORMAT int16: DSP firmware takes int16 samples with a scale and offset */
#define TSR_CAP_INPUT_I8 (1u << 1)   /* FORMAT int8: firmware without DSP takes the model's quantized int8 input */
#define TSR_CAP_PIPELINED (1u << 2)  /* INFER_RUN / INFER_ALL, and the link holds requests sent ahead */
#define TSR_CAP_PROFILE (1u << 3)    /* per-layer profile */
#define TSR_CAP_LIVE (1u << 4)       /* live mode */
#define TSR_CAP_BULK (1u << 5)       /* a test set is in memory since launch (INFER_AT, INFER_RUN) */

/* Sample formats (FORMAT): how a window's bytes travel (INFER, UPLOAD, INFER_ALL, the test set in memory). */
#define TSR_FORMAT_RAW 0u /* as the board takes it: float32 samples with DSP, else the model's input bytes */
#define TSR_FORMAT_I16 1u /* int16 samples, each sample = (float)value * scale + offset in float32 */
#define TSR_FORMAT_I8 2u  /* the model's int8 input, quantized by the host (firmware without DSP) */

/* INFER_RUN / INFER_ALL: flags, and the payload of each RUN_PART frame (type INFER_RUN | 0x80 or
   INFER_ALL | 0x80, the request's seq): u32 window index | u16 part | data. Part 0 holds INFER's answer
   (status, DSP count, NN count, output bytes, output); parts 1.. the float32 DSP features in order when
   asked for; the last frame is part TSR_RUN_END with u32 windows done. */
#define TSR_RUN_FEATURES 1u
#define TSR_RUN_END 0xFFFFu

#define TSR_MSG_RESPONSE 0x80u    /* response type = request type | 0x80 */
#define TSR_MSG_STREAM_LINE 0x90u /* one sensor line (framed stream mode) */
#define TSR_MSG_STREAM_END 0x91u  /* u32 lines sent */
#define TSR_MSG_LIVE_SAMPLES 0x94u /* live: u32 first sample index | float32 sensor samples */
#define TSR_MSG_LIVE_WINDOW 0x95u  /* live: one classified window (tsr_live.h) */
#define TSR_MSG_ERROR 0x7Fu       /* u8 code | ASCII message */

/* STREAM modes. */
#define TSR_STREAM_FRAMED 0u /* each line in its own STREAM_LINE frame */
#define TSR_STREAM_TEXT 1u   /* plain text lines; 0x00 then a STREAM_END frame closes the stream */

/* ERROR codes. */
#define TSR_ERR_BAD_FRAME 1u   /* COBS or length field invalid */
#define TSR_ERR_BAD_CRC 2u     /* CRC mismatch */
#define TSR_ERR_UNKNOWN 3u     /* unknown message type */
#define TSR_ERR_BAD_PAYLOAD 4u /* wrong payload size or argument out of range */
#define TSR_ERR_TOO_LONG 5u    /* frame longer than TSR_MAX_ENCODED */
#define TSR_ERR_MODEL 6u       /* the model or DSP returned an error */

/* CRC-16/CCITT-FALSE of data, continuing from crc (start with 0xFFFF). */
uint16_t tsr_crc16(const uint8_t *data, size_t len, uint16_t crc);
/* COBS-encode len bytes into out (capacity >= len + len / 254 + 1); return the encoded length. */
size_t tsr_cobs_encode(const uint8_t *in, size_t len, uint8_t *out);
/* COBS-decode len bytes (no delimiter) into out; return 0 and set *out_len, or -1 if invalid. */
int tsr_cobs_decode(const uint8_t *in, size_t len, uint8_t *out, size_t cap, size_t *out_len);

#endif /* TSR_PROTOCOL_H */
