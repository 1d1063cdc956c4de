/**
 * The remedies a finding offers, per browser family, as data. The flags and prefs are the
 * ones the defence profiles apply (src/browser/profiles.ts), so `iceleak audit` measures
 * each of them (README, "The default audit matrix"); Chromium's managed policy
 * `WebRtcIPHandling` takes the same values as its flag.
 */
import type { FixConcern } from './findings.js';
import type { BrowserFamily, Fix } from './types.js';

const VPN_WITH_IPV6: Fix = {
  title: 'Use a full-tunnel VPN that also carries IPv6',
  detail:
    'Route all IPv4 and IPv6 traffic through the VPN (or disable IPv6 on the machine) so WebRTC has no other path out.',
};

const CHROMIUM_DISABLE_NON_PROXIED_UDP: readonly Fix[] = [
  {
    title: 'Chromium managed policy',
    detail: 'WebRtcIPHandling = disable_non_proxied_udp (e.g. in /etc/chromium/policies/managed/webrtc.json)',
  },
  { title: 'Chromium command-line flag', detail: '--webrtc-ip-handling-policy=disable_non_proxied_udp' },
  {
    title: 'Extension API',
    detail: "chrome.privacy.network.webRTCIPHandlingPolicy.set({ value: 'disable_non_proxied_udp' })",
  },
];

const FIREFOX_PUBLIC: readonly Fix[] = [
  {
    title: 'Firefox pref (behind a proxy)',
    detail: 'media.peerconnection.ice.proxy_only_if_behind_proxy = true',
  },
  {
    title: 'Firefox prefs (default interface, no host candidates)',
    detail:
      'media.peerconnection.ice.default_address_only = true and media.peerconnection.ice.no_host = true',
  },
  { title: 'Firefox pref (turn WebRTC off)', detail: 'media.peerconnection.enabled = false' },
];

const GENERIC_DISABLE: Fix = {
  title: 'Block WebRTC in the browser',
  detail: 'Use the browser setting or a WebRTC-blocking extension so pages cannot gather ICE candidates.',
};

/** Fix table: browser family × concern → fixes, most specific first. */
export const FIXES: Readonly<Record<BrowserFamily, Readonly<Record<FixConcern, readonly Fix[]>>>> = {
  chromium: {
    'public-ip': [...CHROMIUM_DISABLE_NON_PROXIED_UDP, VPN_WITH_IPV6],
    ipv6: [VPN_WITH_IPV6, ...CHROMIUM_DISABLE_NON_PROXIED_UDP],
    'local-ip': [
      { title: 'Chromium managed policy', detail: 'WebRtcIPHandling = default_public_interface_only' },
      {
        title: 'Chromium command-line flag',
        detail: '--webrtc-ip-handling-policy=default_public_interface_only',
      },
      {
        title: 'Keep mDNS host hiding on',
        detail: 'Do not start Chromium with --disable-features=WebRtcHideLocalIpsWithMdns',
      },
    ],
    'mdns-stable': [
      {
        title: 'Use a fresh browser session for untrusted sites',
        detail:
          'A new profile or private window gets new mDNS names, so a page cannot link your visits by them.',
      },
      ...CHROMIUM_DISABLE_NON_PROXIED_UDP,
    ],
  },
  firefox: {
    'public-ip': [...FIREFOX_PUBLIC, VPN_WITH_IPV6],
    ipv6: [VPN_WITH_IPV6, ...FIREFOX_PUBLIC],
    'local-ip': [
      {
        title: 'Firefox prefs (default interface, no host candidates)',
        detail:
          'media.peerconnection.ice.default_address_only = true and media.peerconnection.ice.no_host = true',
      },
      {
        title: 'Firefox pref (hide host addresses)',
        detail: 'media.peerconnection.ice.obfuscate_host_addresses = true',
      },
    ],
    'mdns-stable': [
      {
        title: 'Firefox pref (hide host addresses)',
        detail: 'media.peerconnection.ice.obfuscate_host_addresses = true',
      },
      { title: 'Firefox pref (no host candidates)', detail: 'media.peerconnection.ice.no_host = true' },
    ],
  },
  safari: {
    'public-ip': [VPN_WITH_IPV6, GENERIC_DISABLE],
    ipv6: [VPN_WITH_IPV6, GENERIC_DISABLE],
    'local-ip': [
      {
        title: 'Withdraw camera/microphone permission',
        detail:
          'Safari only shows local addresses to pages allowed to capture; remove the permission for this site.',
      },
      GENERIC_DISABLE,
    ],
    'mdns-stable': [GENERIC_DISABLE],
  },
  other: {
    'public-ip': [VPN_WITH_IPV6, GENERIC_DISABLE],
    ipv6: [VPN_WITH_IPV6, GENERIC_DISABLE],
    'local-ip': [GENERIC_DISABLE],
    'mdns-stable': [GENERIC_DISABLE],
  },
};
