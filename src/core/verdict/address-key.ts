/**
 * One comparable key per IP address, so that "203.0.113.5", "::ffff:203.0.113.5" (a
 * dual-stack socket's view of the same IPv4) and differently written IPv6 compare equal.
 */
import { type AddressClassification, classifyAddress } from '../address/classify.js';

/** A classified address with its comparison key and the family it really travels as. */
export interface KeyedAddress {
  readonly key: string;
  /** IPv4 for IPv4 and IPv4-mapped IPv6; IPv6 for other IPv6; name for names. */
  readonly family: 'IPv4' | 'IPv6' | 'name';
  readonly classification: AddressClassification;
}

/** Classifies and keys an address; null when it is not an address or name at all. */
export function keyAddress(address: string): KeyedAddress | null {
  let classification: AddressClassification;
  try {
    classification = classifyAddress(address);
  } catch {
    return null;
  }
  if (classification.embedded?.via === 'ipv4-mapped') {
    return { key: classification.embedded.address, family: 'IPv4', classification };
  }
  // Zone ids name an interface of the sender, not a different address.
  return {
    key: classification.normalized.replace(/%.*$/, ''),
    family: classification.family,
    classification,
  };
}
