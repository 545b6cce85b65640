/* tbc.c — static opcode facts and the header's checksums. */
#include "tbc.h"

const tbc_opinfo tbc_ops[OP_COUNT_] = {
#define TBC_OP_INFO(name, arg, pops, pushes) {#name, TBC_A_##arg, pops, pushes},
    TBC_OPCODES(TBC_OP_INFO)
#undef TBC_OP_INFO
};

/* CRC-32 (the reflected polynomial 0xEDB88320 of zlib and PNG), four bits
 * at a time so that the table stays small enough to write down. */
static const uint32_t crc_nibble[16] = {
    0x00000000u, 0x1DB71064u, 0x3B6E20C8u, 0x26D930ACu,
    0x76DC4190u, 0x6B6B51F4u, 0x4DB26158u, 0x5005713Cu,
    0xEDB88320u, 0xF00F9344u, 0xD6D6A3E8u, 0xCB61B38Cu,
    0x9B64C2B0u, 0x86D3D2D4u, 0xA00AE278u, 0xBDBDF21Cu};

uint32_t tbc_crc32(uint32_t crc, const uint8_t *p, uint64_t n) {
  uint32_t c = crc ^ 0xFFFFFFFFu;
  for (uint64_t i = 0; i < n; i++) {
    c ^= p[i];
    c = (c >> 4) ^ crc_nibble[c & 15];
    c = (c >> 4) ^ crc_nibble[c & 15];
  }
  return c ^ 0xFFFFFFFFu;
}

uint64_t tbc_fnv1a(const uint8_t *p, uint64_t n) {
  uint64_t h = 0xcbf29ce484222325u;
  for (uint64_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= 0x100000001b3u;
  }
  return h;
}
