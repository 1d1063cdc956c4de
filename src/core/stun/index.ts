/**
 * STUN codec (RFC 8489, compatible with RFC 5389) with the ICE attributes of RFC 8445.
 * Pure: bytes in, typed values out, and back; errors are IceleakError with a stable code.
 */
export { isComprehensionRequired, type KnownAttributeName, StunAttributeType } from './attribute.js';
export { decodeErrorCode, type ErrorCode, encodeErrorCode, StunErrorCode } from './error-code.js';
export {
  computeFingerprint,
  crc32,
  decodeFingerprint,
  encodeFingerprint,
  FINGERPRINT_XOR,
  verifyFingerprint,
} from './fingerprint.js';
export {
  decodeHeader,
  decodeMessageType,
  encodeMessageType,
  HEADER_LENGTH,
  isStunMessage,
  MAGIC_COOKIE,
  MAX_MESSAGE_LENGTH,
  type StunClass,
  type StunHeader,
  StunMethod,
} from './header.js';
export { decodeIceControlled, encodeIceControlled } from './ice-controlled.js';
export { decodeIceControlling, encodeIceControlling } from './ice-controlling.js';
export { bytesToIp, type IpFamily, ipToBytes, type StunAddress } from './ip-address.js';
export { decodeMappedAddress, encodeMappedAddress, type MappedAddress } from './mapped-address.js';
export {
  decodeStunMessage,
  encodeStunMessage,
  getAttribute,
  MAX_ATTRIBUTES,
  type StunAttribute,
  type StunAttributeName,
  type StunAttributeValues,
  type StunEncodeOptions,
  type StunMessage,
  unknownComprehensionRequired,
} from './message.js';
export {
  computeMessageIntegrity,
  type IntegrityCheck,
  longTermKey,
  MESSAGE_INTEGRITY_LENGTH,
  shortTermKey,
  verifyMessageIntegrity,
} from './message-integrity.js';
export {
  computeMessageIntegritySha256,
  MESSAGE_INTEGRITY_SHA256_LENGTH,
  verifyMessageIntegritySha256,
} from './message-integrity-sha256.js';
export { decodeNonce, encodeNonce, MAX_NONCE_BYTES } from './nonce.js';
export { decodePriority, encodePriority } from './priority.js';
export { decodeRealm, encodeRealm, MAX_REALM_BYTES } from './realm.js';
export { decodeSoftware, encodeSoftware, MAX_SOFTWARE_BYTES } from './software.js';
export { decodeUnknownAttributes, encodeUnknownAttributes } from './unknown-attributes.js';
export { decodeUseCandidate, encodeUseCandidate } from './use-candidate.js';
export { decodeUsername, encodeUsername, MAX_USERNAME_BYTES } from './username.js';
export {
  decodeXorMappedAddress,
  encodeXorMappedAddress,
  type XorMappedAddress,
} from './xor-mapped-address.js';
